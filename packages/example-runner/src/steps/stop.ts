import { z } from "zod";
import { containerName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const stop = defineStepKind({
  schema: z
    .object({ kind: z.literal("stop").describe("Step kind"), ...stepBase, container: containerName })
    .strict()
    .describe("docker stop"),
  command: (step, values) => argv(values, "docker", "stop", step.container),
  async execute(step, context) {
    await context.engine.containers.stop(step.container);
    context.out.write(`${step.container}\n`);
    return ok();
  },
  script: (_, command) => [command],
  outputMatchers: (step) => [{ equals: step.container }],
});
