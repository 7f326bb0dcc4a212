import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { imageRef, stepBase } from "../fields.ts";
import { pullImage } from "./pull-image.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const pull = defineStepKind({
  schema: z
    .object({
      kind: z.literal("pull").describe("Step kind"),
      ...stepBase,
      image: imageRef,
      platform: z.string().optional().describe("--platform, e.g. linux/arm64"),
    })
    .strict()
    .describe("docker pull"),
  command: (step, values) =>
    argv(values, "docker", "pull", ...(step.platform ? ["--platform", step.platform] : []), step.image),
  async execute(step, context) {
    await pullImage(step.image, context, step.platform, "always-report");
    return ok();
  },
  // The runner's default pull policy, "missing": a local image is used as is.
  script: (step, command) => [`docker image inspect ${shellQuote(step.image)} >/dev/null 2>&1 || ${command}`],
});
