import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { containerName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const rm = defineStepKind({
  schema: z
    .object({
      kind: z.literal("rm").describe("Step kind"),
      ...stepBase,
      container: containerName,
      force: z.boolean().optional().describe("-f: remove even if running"),
    })
    .strict()
    .describe("docker rm"),
  command: (step, values) => argv(values, "docker", "rm", step.force && "-f", step.container),
  async execute(step, context) {
    await context.engine.containers.remove(step.container, step.force ?? false);
    context.out.write(`${step.container}\n`);
    return ok();
  },
  // Like the engine: a removal already in progress is one that will happen; wait for it.
  script: (step, command) => {
    const name = shellQuote(step.container);
    return [
      `if ! removed="$(${command} 2>&1)"; then [[ "$removed" == *"already in progress"* ]] || { echo "$removed" >&2; false; }; fi`,
      'echo "$removed"',
      `while docker container inspect ${name} >/dev/null 2>&1; do sleep 0.2; done`,
    ];
  },
  outputMatchers: (step) => [{ equals: step.container }],
});
