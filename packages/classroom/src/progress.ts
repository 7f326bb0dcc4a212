#!/usr/bin/env node
import { type ProgressRecord, progressFile, readProgress, stateDir } from "@bct/attendee";
import {
  type CommandSpec,
  type Console,
  parseCommandArgs,
  renderHelp,
  runCli,
  useCompileCache,
} from "@bct/cli";
import { EXIT, KitError } from "@bct/engine";
import { type CourseColumn, courseColumns } from "./course-columns.ts";
import { findRepoRoot, isEntryPoint } from "./repo-root.ts";

export const progressCommand: CommandSpec = {
  usage: "pnpm progress",
  summary:
    "What you have done in the course, from your own runs of pnpm example and pnpm check-exercise, and what comes\n" +
    "next in deck order. Kept on this machine only, in .bct/progress.json (git-ignored).",
  options: { json: { type: "boolean", description: "Print it as JSON" } },
  examples: ["pnpm progress", "pnpm progress --json"],
};

export type ItemStatus = "passed" | "failed" | "not-yet";

export interface ProgressItem {
  kind: CourseColumn["kind"];
  id: string;
  title: string;
  section: string;
  status: ItemStatus;
  runs: number;
  lastRunAt: string | null;
}

export interface ProgressSummary {
  passed: number;
  total: number;
  items: ProgressItem[];
  /** The first item in deck order not passed yet, and the command that runs it; null when all passed. */
  next: { kind: CourseColumn["kind"]; id: string; command: string } | null;
}

/** Passed = passed at least once (an example run again later for practice still counts). */
export function summarizeProgress(columns: CourseColumn[], record: ProgressRecord): ProgressSummary {
  const items = columns.map((column): ProgressItem => {
    const entry = record.entries[column.key];
    const status: ItemStatus = !entry ? "not-yet" : entry.firstPassedAt ? "passed" : "failed";
    return {
      kind: column.kind,
      id: column.id,
      title: column.title,
      section: column.section,
      status,
      runs: entry?.runs ?? 0,
      lastRunAt: entry?.lastRunAt ?? null,
    };
  });
  const next = items.find((item) => item.status !== "passed");
  return {
    passed: items.filter((item) => item.status === "passed").length,
    total: items.length,
    items,
    next: next
      ? {
          kind: next.kind,
          id: next.id,
          command: next.kind === "example" ? `pnpm example ${next.id}` : "pnpm check-exercise",
        }
      : null,
  };
}

const MARK: Record<ItemStatus, string> = { passed: "✓", failed: "✗", "not-yet": "·" };

export async function progressMain(
  argv: string[],
  console: Console,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const args = parseCommandArgs(progressCommand, argv);
  if (args.help) {
    console.print(renderHelp(progressCommand).trimEnd());
    return EXIT.ok;
  }
  if (args.positionals.length > 0)
    throw new KitError(
      "INVALID_INPUT",
      `pnpm progress takes no argument (got ${args.positionals.join(" ")}).`,
    );
  const dir = stateDir(env);
  if (!dir)
    throw new KitError(
      "INVALID_INPUT",
      "No record to read: set BCT_STATE_DIR (it is unset under a test runner).",
    );
  const summary = summarizeProgress(await courseColumns(findRepoRoot()), readProgress(dir));
  if (args.values.json === true) {
    console.print(JSON.stringify({ file: progressFile(dir), ...summary }, null, 2));
    return EXIT.ok;
  }
  let section = "";
  for (const item of summary.items) {
    if (item.section !== section) {
      section = item.section;
      console.print(console.out.bold(section));
    }
    const paint =
      item.status === "passed"
        ? console.out.green
        : item.status === "failed"
          ? console.out.red
          : console.out.dim;
    // An example by the name that runs it and its title; a criterion by its title, as the checker shows it.
    const label = item.kind === "example" ? `${item.id}: ${item.title}` : item.title;
    console.print(
      `  ${paint(MARK[item.status])} ${label}${item.runs > 0 ? console.out.dim(` (${item.runs} run${item.runs > 1 ? "s" : ""})`) : ""}`,
    );
  }
  console.print("");
  console.print(
    `${summary.passed}/${summary.total} done.${summary.next ? ` Next: ${summary.next.command}` : " The whole course is done."}`,
  );
  return EXIT.ok;
}

if (isEntryPoint(import.meta.url)) {
  useCompileCache();
  await runCli((console) => progressMain(process.argv.slice(2), console));
}
