import type { ProcessExpectation, TextMatcher } from "./fields.ts";
import { toList, trimTrailingNewlines } from "./text.ts";

export { trimTrailingNewlines } from "./text.ts";

/** What is wrong with a text, one line per unmet matcher; empty when it matches. */
export function checkText(label: string, text: string, matcher: TextMatcher | undefined): string[] {
  if (!matcher) return [];
  const actual = trimTrailingNewlines(text);
  const failures: string[] = [];
  if (matcher.equals !== undefined && actual !== trimTrailingNewlines(matcher.equals)) {
    failures.push(
      `${label} should be ${JSON.stringify(trimTrailingNewlines(matcher.equals))}, was ${excerpt(actual)}`,
    );
  }
  for (const wanted of toList(matcher.contains)) {
    if (!actual.includes(wanted))
      failures.push(`${label} should contain ${JSON.stringify(wanted)}, was ${excerpt(actual)}`);
  }
  if (matcher.matches !== undefined && !new RegExp(matcher.matches).test(actual)) {
    failures.push(`${label} should match /${matcher.matches}/, was ${excerpt(actual)}`);
  }
  for (const unwanted of toList(matcher.notContains)) {
    if (actual.includes(unwanted)) failures.push(`${label} should not contain ${JSON.stringify(unwanted)}`);
  }
  return failures;
}

export interface ProcessOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function checkProcess(expect: ProcessExpectation | undefined, outcome: ProcessOutcome): string[] {
  const wantedCode = expect?.exitCode ?? 0;
  const failures: string[] = [];
  if (outcome.exitCode !== wantedCode) {
    const stderr = trimTrailingNewlines(outcome.stderr);
    failures.push(
      `exit code should be ${wantedCode}, was ${outcome.exitCode}${stderr ? ` (stderr: ${excerpt(stderr)})` : ""}`,
    );
  }
  failures.push(
    ...checkText("stdout", outcome.stdout, expect?.stdout),
    ...checkText("stderr", outcome.stderr, expect?.stderr),
    ...checkText("output", joinOutput(outcome.stdout, outcome.stderr), expect?.output),
  );
  return failures;
}

/** stdout then stderr, as `2>&1` would show them when one follows the other. */
export function joinOutput(stdout: string, stderr: string): string {
  if (!stdout) return stderr;
  if (!stderr) return stdout;
  return `${stdout}${stdout.endsWith("\n") ? "" : "\n"}${stderr}`;
}

function excerpt(text: string): string {
  const limit = 200;
  return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}…` : text);
}
