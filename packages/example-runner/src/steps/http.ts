import { KitError, shellQuote, waitForHttp } from "@bct/engine";
import { z } from "zod";
import { checkText } from "../expectations.ts";
import { stepBase, textMatcherSchema, timeoutSeconds } from "../fields.ts";
import { argv, matcherLines } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

export const http = defineStepKind({
  schema: z
    .object({
      kind: z.literal("http").describe("Step kind"),
      ...stepBase,
      url: z.url().startsWith("http", "an http(s) URL").describe("The URL to GET"),
      expect: z
        .object({
          status: z.number().int().min(100).max(599).default(200).describe("Expected HTTP status"),
          body: textMatcherSchema.optional().describe("Expectations on the response body"),
        })
        .strict()
        .default({ status: 200 })
        .describe("The answer expected"),
      timeoutSeconds: timeoutSeconds.describe("Wait until it answers, up to this (default 30)"),
    })
    .strict()
    .describe("curl: waits until the URL answers, then checks status and body"),
  command: (step, values) => argv(values, "curl", "-sS", step.url),
  async execute(step, context) {
    let answer: { status: number; body: string };
    try {
      answer = await waitForHttp(step.url, {
        timeoutMs: (step.timeoutSeconds ?? 30) * 1000,
        status: step.expect.status,
      });
    } catch (error) {
      if (error instanceof KitError && error.code === "TIMEOUT") return verdict([error.message]);
      throw error;
    }
    context.out.write(answer.body.endsWith("\n") ? answer.body : `${answer.body}\n`);
    return verdict(checkText("body", answer.body, step.expect.body));
  },
  script(step) {
    const status = step.expect.status;
    return [
      `deadline=$((SECONDS + ${Math.ceil(step.timeoutSeconds ?? 30)}))`,
      `until code="$(curl -sS -o "$CHECKS/stdout" -w '%{http_code}' ${shellQuote(step.url)} 2>/dev/null)" && [[ "$code" == ${status} ]]; do`,
      `  if ((SECONDS >= deadline)); then echo ${shellQuote(`✗ ${step.url} did not answer with status ${status}`)} "(last: \${code:-no answer})" >&2; exit 1; fi`,
      "  sleep 0.2",
      "done",
      'cat "$CHECKS/stdout"',
      ...matcherLines("stdout", step.expect.body),
      "verify",
    ];
  },
  checkRecorded: (step, recorded) => checkText("body", recorded.stdout, step.expect.body),
  outputMatchers: (step) => (step.expect.body ? [step.expect.body] : []),
});
