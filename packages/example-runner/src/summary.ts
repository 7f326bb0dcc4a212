import { formatTable, type Palette } from "@bct/cli";
import { type ExampleReport, formatDuration } from "./report.ts";

/** The end of a run: one line per step, ✓ or ✗ with its duration, and what went wrong. */
export function renderSummary(report: ExampleReport, paint: Palette): string {
  const passed = report.steps.filter((step) => step.ok).length;
  const total = report.steps.length + report.skipped;
  const verdict = report.ok ? paint.green("✓ passed") : paint.red("✗ failed");
  const lines = [
    "",
    paint.bold(
      `Summary: ${report.name} ${verdict}, ${passed}/${total} steps in ${formatDuration(report.durationMs)}`,
    ),
  ];
  const width = Math.max(0, ...report.steps.map((step) => step.title.length));
  for (const step of report.steps) {
    const mark = step.ok ? paint.green("✓") : paint.red("✗");
    lines.push(
      `  ${mark} ${String(step.index).padStart(2)}  ${step.title.padEnd(width)}  ${paint.dim(formatDuration(step.durationMs))}`,
    );
    for (const failure of step.failures) lines.push(`        ${paint.red(failure)}`);
    for (const note of step.notes) lines.push(`        ${paint.dim(note)}`);
  }
  if (report.skipped > 0) lines.push(`  ${paint.dim(`${report.skipped} later step(s) not run`)}`);
  if (report.steps.length === 0 && report.error)
    // The error itself, with its hint, is printed once after the summary.
    lines.push(`  ${paint.red("not started (the reason follows)")}`);
  if (report.leftBehind) {
    const left = Object.entries(report.leftBehind).filter(([, names]) => names.length > 0);
    lines.push("", "Kept for you to explore (--keep):");
    for (const [kind, names] of left) lines.push(`  ${kind}: ${names.join(", ")}`);
    if (left.length === 0)
      lines.push("  (nothing: every resource of this run was already removed by its steps)");
    lines.push("Remove them when done: pnpm example clean");
    for (const project of report.keptProjects ?? [])
      lines.push(
        `Compose project ${project} (not known to pnpm example clean): cd examples/${report.name} && docker compose down -v --rmi local`,
      );
  }
  return `${lines.join("\n")}\n`;
}

/** --all: one row per example. */
export function renderTable(reports: ExampleReport[], paint: Palette, totalMs: number): string {
  const rows = reports.map((report) => [
    report.name,
    report.ok ? "✓ ok" : report.exitCode === 1 ? "✗ unmet" : "✗ error",
    `${report.steps.filter((step) => step.ok).length}/${report.steps.length + report.skipped}`,
    formatDuration(report.durationMs),
    report.ok ? "" : firstProblem(report),
  ]);
  const [header, ...body] = formatTable(["EXAMPLE", "RESULT", "STEPS", "TIME", "PROBLEM"], rows);
  const failed = reports.filter((report) => !report.ok).length;
  const lines = ["", paint.bold(header!)];
  body.forEach((line, index) => {
    lines.push(rows[index]![1]!.startsWith("✓") ? line : paint.red(line));
  });
  lines.push(
    "",
    `${reports.length - failed}/${reports.length} examples passed in ${formatDuration(totalMs)}${failed ? paint.red(`, ${failed} failed`) : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

function firstProblem(report: ExampleReport): string {
  const failing = report.steps.find((step) => !step.ok);
  const text = failing
    ? `step ${failing.index}: ${failing.failures[0] ?? ""}`
    : (report.error?.message ?? "");
  const line = text.split("\n")[0] ?? "";
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}
