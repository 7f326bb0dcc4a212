import { shellQuote } from "@bct/engine";
import type { ProcessExpectation, TextMatcher } from "../fields.ts";
import { joinArguments, type PlaceholderValues } from "../placeholders.ts";
import { toList, trimTrailingNewlines } from "../text.ts";

/** Runs a command with its stdout, stderr and both kept in $CHECKS for the checks, and shows them. */
export function captured(command: string): string[] {
  return [
    "set +e; trap - ERR",
    `${command} >"$CHECKS/stdout" 2>"$CHECKS/stderr"`,
    "status=$?",
    "set -e; trap tool_failed ERR",
    'cat "$CHECKS/stdout" "$CHECKS/stderr" >"$CHECKS/output"',
    "show",
  ];
}

/** Exit code and output checks of a captured process, then stop on the first unmet one. */
export function processChecks(expect: ProcessExpectation | undefined): string[] {
  return [`check_value 'exit code' "$status" ${expect?.exitCode ?? 0}`, ...outputChecks(expect), "verify"];
}

export function outputChecks(
  expect: Pick<ProcessExpectation, "stdout" | "stderr" | "output"> | undefined,
): string[] {
  return [
    ...matcherLines("stdout", expect?.stdout),
    ...matcherLines("stderr", expect?.stderr),
    ...matcherLines("output", expect?.output),
  ];
}

/** One check line per part of a matcher, on $CHECKS/<file>. */
export function matcherLines(
  file: "stdout" | "stderr" | "output",
  matcher: TextMatcher | undefined,
): string[] {
  if (!matcher) return [];
  const lines: string[] = [];
  if (matcher.equals !== undefined)
    lines.push(`check_equals ${file} ${shellQuote(trimTrailingNewlines(matcher.equals))}`);
  for (const text of toList(matcher.contains)) lines.push(`check_contains ${file} ${shellQuote(text)}`);
  if (matcher.matches !== undefined) lines.push(`check_matches ${file} ${shellQuote(matcher.matches)}`);
  for (const text of toList(matcher.notContains))
    lines.push(`check_not_contains ${file} ${shellQuote(text)}`);
  return lines;
}

export function workdirFile(path: string): string {
  return `"$WORKDIR"/${shellQuote(path)}`;
}

/** An argv as a command line: placeholders rendered as `values` says, empty parts left out. */
export function argv(values: PlaceholderValues, ...parts: Array<string | false | undefined>): string {
  return joinArguments(
    parts.filter((part): part is string => typeof part === "string"),
    values,
  );
}
