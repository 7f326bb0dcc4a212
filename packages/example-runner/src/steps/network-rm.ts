import { z } from "zod";
import { resourceName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const networkRm = defineStepKind({
  schema: z
    .object({ kind: z.literal("network-rm").describe("Step kind"), ...stepBase, name: resourceName })
    .strict()
    .describe("docker network rm"),
  command: (step, values) => argv(values, "docker", "network", "rm", step.name),
  async execute(step, context) {
    await context.engine.networks.remove(step.name);
    context.out.write(`${step.name}\n`);
    return ok();
  },
  script: (_, command) => [command],
  outputMatchers: (step) => [{ equals: step.name }],
});
