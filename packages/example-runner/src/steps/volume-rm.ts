import { z } from "zod";
import { resourceName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const volumeRm = defineStepKind({
  schema: z
    .object({ kind: z.literal("volume-rm").describe("Step kind"), ...stepBase, name: resourceName })
    .strict()
    .describe("docker volume rm"),
  command: (step, values) => argv(values, "docker", "volume", "rm", step.name),
  async execute(step, context) {
    await context.engine.volumes.remove(step.name);
    context.out.write(`${step.name}\n`);
    return ok();
  },
  script: (_, command) => [command],
  outputMatchers: (step) => [{ equals: step.name }],
});
