import { z } from "zod";
import { containerName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const kill = defineStepKind({
  schema: z
    .object({
      kind: z.literal("kill").describe("Step kind"),
      ...stepBase,
      container: containerName,
      signal: z
        .string()
        .regex(/^SIG[A-Z0-9]+$/, "a signal name such as SIGTERM")
        .optional()
        .describe("--signal (default SIGKILL)"),
    })
    .strict()
    .describe("docker kill"),
  command: (step, values) =>
    argv(values, "docker", "kill", ...(step.signal ? ["--signal", step.signal] : []), step.container),
  async execute(step, context) {
    await context.engine.containers.kill(step.container, step.signal);
    context.out.write(`${step.container}\n`);
    return ok();
  },
  script: (_, command) => [command],
  outputMatchers: (step) => [{ equals: step.container }],
});
