import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { resourceName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const volumeCreate = defineStepKind({
  schema: z
    .object({ kind: z.literal("volume-create").describe("Step kind"), ...stepBase, name: resourceName })
    .strict()
    .describe("docker volume create"),
  command: (step, values) => argv(values, "docker", "volume", "create", step.name),
  async execute(step, context) {
    await context.engine.volumes.create(step.name);
    context.out.write(`${step.name}\n`);
    return ok();
  },
  script: (step, command) => [`remember volume ${shellQuote(step.name)}`, command],
  outputMatchers: (step) => [{ equals: step.name }],
  creates: (step) => [{ type: "volume", name: step.name }],
});
