import { z } from "zod";
import { checkText, joinOutput, type ProcessOutcome } from "../expectations.ts";
import { stepBase, textMatcherSchema, timeoutSeconds } from "../fields.ts";
import {
  composeCommand,
  composeFields,
  composeName,
  composeScriptSetup,
  runCompose,
} from "./compose-project.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { outputChecks } from "./script-lines.ts";
import { defineStepKind, verdict, writeOutcome } from "./step-kind.ts";

const expectSchema = z
  .object({
    stdout: textMatcherSchema
      .optional()
      .describe("Expectations on the log lines (compose prints them on stdout)"),
    stderr: textMatcherSchema.optional().describe("Expectations on what compose itself wrote to stderr"),
    output: textMatcherSchema.optional().describe("Expectations on both together"),
  })
  .strict();

function checkLogs(
  expect: z.infer<typeof expectSchema> | undefined,
  outcome: Omit<ProcessOutcome, "exitCode">,
) {
  return [
    ...checkText("stdout", outcome.stdout, expect?.stdout),
    ...checkText("stderr", outcome.stderr, expect?.stderr),
    ...checkText("output", joinOutput(outcome.stdout, outcome.stderr), expect?.output),
  ];
}

/** The argv after `docker compose`: what the attendee types and what runs. */
function logsArgs(step: { follow: boolean; prefix: boolean; service: string }): string[] {
  return ["logs", ...(step.follow ? ["-f"] : []), ...(step.prefix ? [] : ["--no-log-prefix"]), step.service];
}

export const composeLogs = defineStepKind({
  schema: z
    .object({
      kind: z.literal("compose-logs").describe("Step kind"),
      ...stepBase,
      ...composeFields,
      service: composeName.describe("The service whose containers' logs to show"),
      follow: z
        .boolean()
        .default(false)
        .describe("-f: keep printing new lines; the step stops following once its expectations are met"),
      prefix: z.boolean().default(true).describe("false: --no-log-prefix, the lines without `web-1  | `"),
      expect: expectSchema.optional().describe("Expectations on the logs"),
      timeoutSeconds: timeoutSeconds.describe(
        "Keep reading the logs until they match, up to this (default 10)",
      ),
    })
    .strict()
    .describe("docker compose logs: what one service's containers printed"),
  command: (step, values) => composeCommand(step, values, ...logsArgs(step)),
  async execute(step, context) {
    const args = logsArgs(step);
    const seconds = step.timeoutSeconds ?? 10;
    if (step.follow) {
      // Following never ends by itself: stop, like Ctrl-C, once the lines we wait for have come.
      const outcome = await runCompose(step, context, args, {
        timeoutSeconds: seconds,
        stopWhen: (soFar) => checkLogs(step.expect, soFar).length === 0,
      });
      return verdict(checkLogs(step.expect, outcome));
    }
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const outcome = await runCompose(step, context, args, { timeoutSeconds: seconds, stream: false });
      const failures = checkLogs(step.expect, outcome);
      if (failures.length === 0 || Date.now() >= deadline) {
        writeOutcome(context.out, context.console, outcome);
        return verdict(failures);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  },
  script(step, command) {
    const seconds = Math.ceil(step.timeoutSeconds ?? 10);
    const checks = outputChecks(step.expect).map((line) => `  ${line}`);
    const poll = [
      `deadline=$((SECONDS + ${seconds}))`,
      "while :; do",
      "  problems=()",
      ...(step.follow ? [] : [`  ${command} >"$CHECKS/stdout" 2>"$CHECKS/stderr"`]),
      '  cat "$CHECKS/stdout" "$CHECKS/stderr" >"$CHECKS/output"',
      ...checks,
      `  if no_problems || ((SECONDS >= deadline))${step.follow ? ' || ! kill -0 "$follower" 2>/dev/null' : ""}; then break; fi`,
      "  sleep 0.25",
      "done",
    ];
    if (!step.follow) return [...composeScriptSetup(step), ...poll, "show", "verify"];
    return [
      ...composeScriptSetup(step),
      `${command} >"$CHECKS/stdout" 2>"$CHECKS/stderr" &`,
      "follower=$!",
      ...poll,
      // The lines came (or time is up): stop following, as Ctrl-C would.
      'kill -INT "$follower" 2>/dev/null || true',
      'wait "$follower" 2>/dev/null || true',
      'cat "$CHECKS/stdout" "$CHECKS/stderr" >"$CHECKS/output"',
      "show",
      "verify",
    ];
  },
  checkRecorded: (step, recorded) => checkLogs(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
});
