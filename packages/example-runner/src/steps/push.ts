import { PullProgressTracker } from "@bct/engine";
import { z } from "zod";
import { imageRef, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const push = defineStepKind({
  schema: z
    .object({ kind: z.literal("push").describe("Step kind"), ...stepBase, image: imageRef })
    .strict()
    .describe("docker push"),
  command: (step, values) => argv(values, "docker", "push", step.image),
  async execute(step, context) {
    const tracker = new PullProgressTracker();
    const { digest } = await context.engine.images.push(step.image, (event) => {
      tracker.update(event);
      context.console.progress(`Pushing ${step.image}: ${tracker.summary()}`);
    });
    context.console.endProgress();
    context.out.write(`${step.image}${digest ? `: digest: ${digest}` : ""}\n`);
    return ok();
  },
  script: (_, command) => [command],
  // Both docker push and the runner end with the pushed manifest's digest.
  outputMatchers: () => [{ matches: "digest: sha256:[0-9a-f]{64}" }],
});
