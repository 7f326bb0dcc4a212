import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { renderPsTable } from "../docker-tables.ts";
import { containerName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

export const ps = defineStepKind({
  schema: z
    .object({
      kind: z.literal("ps").describe("Step kind"),
      ...stepBase,
      all: z.boolean().default(false).describe("-a: include stopped containers"),
      expect: z
        .object({
          container: containerName.describe("The container whose state is checked"),
          state: z
            .enum(["running", "exited", "paused", "absent"])
            .describe(
              "Its expected state, as docker inspect's .State.Status says it (absent: no such container)",
            ),
        })
        .strict()
        .describe("The state one container must be in"),
    })
    .strict()
    .describe("docker ps"),
  // Filtered to the container the step is about, so that the table shows what typing it shows (the engine
  // also runs the course registry, and perhaps other work).
  command: (step, values) =>
    argv(values, "docker", "ps", step.all && "-a", "--filter", nameFilter(step.expect.container)),
  async execute(step, context) {
    const { engine, out } = context;
    const shown = (await engine.containers.list({ all: step.all })).filter(
      (container) => container.name === step.expect.container,
    );
    out.write(renderPsTable(shown, Math.floor(Date.now() / 1000)));
    const state = await engine.containers.inspect(step.expect.container);
    const actual = state ? state.status : "absent";
    return verdict(
      actual === step.expect.state
        ? []
        : [`state of ${step.expect.container} should be ${step.expect.state}, was ${actual}`],
    );
  },
  script(step, command) {
    const name = shellQuote(step.expect.container);
    return [
      command,
      `state="$(docker container inspect -f '{{.State.Status}}' ${name} 2>/dev/null)" || state=absent`,
      `check_value ${shellQuote(`state of ${step.expect.container}`)} "$state" ${step.expect.state}`,
      "verify",
    ];
  },
  // What docker ps shows for the expected state: the name with Up, Exited or Paused in its STATUS column.
  // The state read back from the recorded table.
  checkRecorded(step, recorded) {
    const { container, state: wanted } = step.expect;
    const row = recorded.stdout.split("\n").find((line) => line.trimEnd().endsWith(`   ${container}`));
    const status = row ? (/\b(Up|Exited|Created)\b/.exec(row)?.[1] ?? "?") : "absent";
    const state = status === "Up" ? "running" : status === "Exited" ? "exited" : status;
    return state === wanted ? [] : [`container ${container} should be ${wanted}, recorded ${state}`];
  },
  outputMatchers(step) {
    const { container, state } = step.expect;
    if (state === "absent") return [{ notContains: ` ${container}\n` }];
    const status = { running: "Up ", exited: "Exited (", paused: "(Paused)" }[state];
    return [{ matches: `(^|\\n)[^\\n]*${status.replace(/[()]/g, "\\$&")}[^\\n]*${container}` }];
  },
});

/** docker ps's filter for exactly this name (the name filter matches a regular expression). */
function nameFilter(container: string): string {
  return `name=^${container.replace(/[.]/g, "\\.")}$`;
}
