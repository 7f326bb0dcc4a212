import { z } from "zod";
import { imageRef, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const rmi = defineStepKind({
  schema: z
    .object({ kind: z.literal("rmi").describe("Step kind"), ...stepBase, image: imageRef })
    .strict()
    .describe("docker rmi (only images this run built or tagged)"),
  command: (step, values) => argv(values, "docker", "rmi", step.image),
  async execute(step, context) {
    // The engine's answer, as docker rmi prints it: the names untagged, then the contents deleted.
    for (const line of await context.engine.images.remove(step.image)) context.out.write(`${line}\n`);
    return ok();
  },
  script: (_, command) => [command],
  outputMatchers: (step) => [{ contains: `Untagged: ${step.image}` }],
});
