import type { ProcessExpectation, TextMatcher } from "../fields.ts";

/** The matchers on what a process prints, stdout first. */
export function processOutputMatchers(
  expect: Pick<ProcessExpectation, "stdout" | "stderr" | "output"> | undefined,
): TextMatcher[] {
  return [expect?.stdout, expect?.output, expect?.stderr].filter(
    (matcher): matcher is TextMatcher => matcher !== undefined,
  );
}
