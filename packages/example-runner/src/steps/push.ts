import { cliProgressLine } from "@bct/engine";
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
    // The engine's events, printed as the docker CLI prints them; its last line names the digest.
    await context.engine.images.push(step.image, (event) => {
      const line = cliProgressLine(event);
      if (line !== undefined) context.out.write(`${line}\n`);
    });
    return ok();
  },
  script: (_, command) => [command],
  // Both docker push and the runner end with the pushed manifest's digest.
  outputMatchers: () => [{ matches: "digest: sha256:[0-9a-f]{64}" }],
});
