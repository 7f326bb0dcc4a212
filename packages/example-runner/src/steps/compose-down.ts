import { COMPOSE_PROJECT_LABEL, shellQuote } from "@bct/engine";
import { z } from "zod";
import { checkProcess } from "../expectations.ts";
import { processExpectationSchema, stepBase, timeoutSeconds } from "../fields.ts";
import { composeCommand, composeFields, composeScriptSetup, runCompose } from "./compose-project.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { captured, processChecks } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

type Kind = "containers" | "networks" | "volumes" | "images";
const LISTS: Record<Kind, string> = {
  containers: "docker ps -aq",
  networks: "docker network ls -q",
  volumes: "docker volume ls -q",
  images: "docker images -q",
};

/** What down must have removed: containers and networks always, volumes with -v, images with --rmi local. */
function mustBeGone(step: { volumes: boolean; removeImages: boolean }): Kind[] {
  return [
    "containers",
    "networks",
    ...(step.volumes ? (["volumes"] as const) : []),
    ...(step.removeImages ? (["images"] as const) : []),
  ];
}

/** The argv after `docker compose`: what the attendee types and what runs. */
function downArgs(step: { volumes: boolean; removeImages: boolean }): string[] {
  return ["down", ...(step.volumes ? ["-v"] : []), ...(step.removeImages ? ["--rmi", "local"] : [])];
}

export const composeDown = defineStepKind({
  schema: z
    .object({
      kind: z.literal("compose-down").describe("Step kind"),
      ...stepBase,
      ...composeFields,
      volumes: z
        .boolean()
        .default(false)
        .describe("-v: remove the project's named volumes too (their data is gone)"),
      removeImages: z
        .boolean()
        .default(false)
        .describe("--rmi local: remove the images compose built for it"),
      expect: processExpectationSchema.optional(),
      timeoutSeconds,
    })
    .strict()
    .describe(
      "docker compose down: stop and remove the project's containers and network (then checks that none is left)",
    ),
  command: (step, values) => composeCommand(step, values, ...downArgs(step)),
  async execute(step, context) {
    const outcome = await runCompose(step, context, downArgs(step), {
      timeoutSeconds: step.timeoutSeconds ?? 120,
    });
    const failures = checkProcess(step.expect, outcome);
    const left = await context.engine.compose.resources(step.project);
    for (const kind of mustBeGone(step))
      if (left[kind].length > 0)
        failures.push(`${kind} of project ${step.project} left: ${left[kind].join(", ")}`);
    const kept = (["volumes", "images"] as const).filter(
      (kind) => !mustBeGone(step).includes(kind) && left[kind].length > 0,
    );
    return verdict(
      failures,
      kept.map(
        (kind) =>
          `kept (as down without ${kind === "volumes" ? "-v" : "--rmi"} does): ${left[kind].join(", ")}`,
      ),
    );
  },
  script: (step, command) => {
    const label = shellQuote(`label=${COMPOSE_PROJECT_LABEL}=${step.project}`);
    return [
      ...composeScriptSetup(step),
      ...captured(command),
      `check_value 'exit code' "$status" ${step.expect?.exitCode ?? 0}`,
      ...mustBeGone(step).map(
        (kind) =>
          `check_value ${shellQuote(`${kind} of project ${step.project} left`)} "$(${LISTS[kind]} --filter ${label} | wc -l)" 0`,
      ),
      ...processChecks(step.expect).slice(1),
    ];
  },
  checkRecorded: (step, recorded) => checkProcess(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
});
