import type { CheckResult } from "./doctor-checks.ts";

const MARK: Record<CheckResult["status"], string> = { ok: "✓", fail: "✗", skip: "-" };

/** One line per check: mark, title, what was found and, for a failure, the fix. */
export function formatCheck(result: CheckResult): string {
  const optional = result.status === "fail" && !result.required ? " (optional)" : "";
  const fix = result.status === "fail" && result.fix ? ` → fix: ${result.fix}` : "";
  return `${MARK[result.status]} ${result.title}: ${result.detail}${optional}${fix}`;
}
