import type { Palette } from "@bct/cli";
import type { CheckReport, CriterionStatus } from "./schema.ts";

const MARK: Record<CriterionStatus, string> = { pass: "✓", fail: "✗", skip: "-", open: "○" };

export function statusMark(status: CriterionStatus, colour: Palette): string {
  const mark = MARK[status];
  if (status === "pass") return colour.green(mark);
  if (status === "fail") return colour.red(mark);
  if (status === "open") return colour.yellow(mark);
  return colour.dim(mark);
}

/** The line a check starts with, printed before its progress so that the attendee sees what is checked. */
export function reportHeader(exercise: string, dir: string): string {
  return `Checking ${exercise} in ${dir}\n\n`;
}

/** The report an attendee reads: one block per criterion, advice, and one closing line. */
export function renderReport(
  report: CheckReport,
  colour: Palette,
  options: { header?: boolean } = {},
): string {
  const lines: string[] =
    options.header === false ? [] : [reportHeader(report.exercise, report.dir).trimEnd(), ""];
  for (const result of report.criteria) {
    lines.push(`${statusMark(result.status, colour)} ${colour.bold(result.title)}`);
    const message = result.status === "skip" ? colour.dim(result.message) : result.message;
    lines.push(indent(message, "    "));
    if (result.kind === "dockerfile" && report.advice.length > 0) {
      for (const advice of report.advice) {
        const link = advice.url ? ` (${advice.url})` : "";
        lines.push(
          indent(`advice${advice.line ? ` (line ${advice.line})` : ""}: ${advice.message}${link}`, "    "),
        );
      }
    }
    if (result.hint && result.status !== "skip") {
      lines.push(`    ${colour.cyan("hint:")} ${result.hint.replace(/\n/g, "\n          ")}`);
    }
  }
  lines.push("");
  lines.push(
    report.complete
      ? colour.green(colour.bold("exercise complete"))
      : colour.bold(`${report.passed} of ${report.total} passed`),
  );
  return `${lines.join("\n")}\n`;
}

function indent(text: string, prefix: string): string {
  return text.replace(/^/gm, prefix);
}
