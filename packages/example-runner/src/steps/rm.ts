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
  script: (_, command) => [command],
  outputMatchers: (step) => [{ equals: step.container }],
});
