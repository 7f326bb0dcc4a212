import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { imageRef, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const tag = defineStepKind({
  schema: z
    .object({ kind: z.literal("tag").describe("Step kind"), ...stepBase, source: imageRef, target: imageRef })
    .strict()
    .describe("docker tag"),
  command: (step, values) => argv(values, "docker", "tag", step.source, step.target),
  async execute(step, context) {
    const existed = await context.engine.images.exists(step.target);
    await context.engine.images.tag(step.source, step.target);
    if (!existed) context.createdTags.push(step.target);
    return ok();
  },
  script: (step, command) => [
    `docker image inspect ${shellQuote(step.target)} >/dev/null 2>&1 || remember image ${shellQuote(step.target)}`,
    command,
  ],
  ownImages: (step) => [step.target],
});
