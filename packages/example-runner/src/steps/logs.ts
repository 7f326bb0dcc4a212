import { z } from "zod";
import { checkText, joinOutput } from "../expectations.ts";
import { containerName, stepBase, textMatcherSchema, timeoutSeconds } from "../fields.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { argv, outputChecks } from "./script-lines.ts";
import { defineStepKind, verdict, writeOutcome } from "./step-kind.ts";

export const logs = defineStepKind({
  schema: z
    .object({
      kind: z.literal("logs").describe("Step kind"),
      ...stepBase,
      container: containerName,
      expect: z
        .object({
          stdout: textMatcherSchema.optional().describe("Expectations on what the container wrote to stdout"),
          stderr: textMatcherSchema.optional().describe("Expectations on what it wrote to stderr"),
          output: textMatcherSchema.optional().describe("Expectations on both together"),
        })
        .strict()
        .optional()
        .describe("Expectations on the container's logs"),
      timeoutSeconds: timeoutSeconds.describe(
        "Keep reading the logs until they match, up to this (default 10)",
      ),
    })
    .strict()
    .describe("docker logs"),
  command: (step, values) => argv(values, "docker", "logs", step.container),
  async execute(step, context) {
    const deadline = Date.now() + (step.timeoutSeconds ?? 10) * 1000;
    for (;;) {
      const outcome = await context.engine.containers.logs(step.container);
      const failures = [
        ...checkText("stdout", outcome.stdout, step.expect?.stdout),
        ...checkText("stderr", outcome.stderr, step.expect?.stderr),
        ...checkText("output", joinOutput(outcome.stdout, outcome.stderr), step.expect?.output),
      ];
      if (failures.length === 0 || Date.now() >= deadline) {
        writeOutcome(context.out, context.console, outcome);
        return verdict(failures);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  },
  script: (step, command) => [
    `deadline=$((SECONDS + ${Math.ceil(step.timeoutSeconds ?? 10)}))`,
    "while :; do",
    "  problems=()",
    `  ${command} >"$CHECKS/stdout" 2>"$CHECKS/stderr"`,
    '  cat "$CHECKS/stdout" "$CHECKS/stderr" >"$CHECKS/output"',
    ...outputChecks(step.expect).map((line) => `  ${line}`),
    "  if no_problems || ((SECONDS >= deadline)); then break; fi",
    "  sleep 0.25",
    "done",
    "show",
    "verify",
  ],
  checkRecorded: (step, recorded) => [
    ...checkText("stdout", recorded.stdout, step.expect?.stdout),
    ...checkText("stderr", recorded.stderr, step.expect?.stderr),
    ...checkText("output", joinOutput(recorded.stdout, recorded.stderr), step.expect?.output),
  ],
  outputMatchers: (step) => processOutputMatchers(step.expect),
});
