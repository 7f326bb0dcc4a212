import { KitError } from "@bct/engine";
import type { RecordedStep, Recording, Step } from "@bct/example-runner";

/** One step on a slide: what the attendee types, and the output a real run printed (or a marked excerpt of it). */
export interface RecordedEntry {
  command: string;
  note?: string;
  output?: string;
  /** Set when the slide shows less than the run printed: says what was left out. */
  excerpt?: string;
}

/** At most this many output lines per step on a slide; longer outputs become an excerpt. */
export const MAX_OUTPUT_LINES = 6;
/** Columns of `docker ps` that the deck leaves out so the table fits a slide at a readable size. */
const PS_COLUMNS_LEFT_OUT = ["COMMAND", "CREATED"];

/**
 * A recording as slide entries. Pull steps show no output: the runner reports them in its own words,
 * not docker's. A build shows the last lines of its log.
 */
export function recordedEntries(steps: Step[], recording: Recording, exampleName: string): RecordedEntry[] {
  if (recording.steps.length !== steps.length)
    throw new KitError(
      "INVALID_INPUT",
      `The recording of ${exampleName} has ${recording.steps.length} steps, the example ${steps.length}.`,
      { hint: `Record it again: pnpm example ${exampleName} --record` },
    );
  return steps.map((step, index) => entryOf(step, recording.steps[index]!));
}

function entryOf(step: Step, recorded: RecordedStep): RecordedEntry {
  const entry: RecordedEntry = { command: recorded.command, note: recorded.title };
  if (step.kind === "pull" || step.kind === "write-file") return entry;
  if (step.kind === "build") {
    const log = lines(recorded.stderr).filter((line) => line.trim() !== "");
    const shown = buildSteps(log);
    if (shown.length > 0) {
      entry.output = shown.join("\n");
      entry.excerpt = `the Dockerfile's last steps, base image digests left out: ${shown.length} of ${log.length} lines of the build log`;
    }
    return entry;
  }
  let text = [recorded.stdout, recorded.stderr]
    .map(withoutKitLabels)
    .filter((part) => part !== "")
    .join(recorded.stdout.endsWith("\n") ? "" : "\n");
  const cuts: string[] = [];
  if (step.kind === "compose-up" || step.kind === "compose-down") {
    const progress = composeProgress(text);
    if (progress !== text)
      cuts.push(
        /^#\d+ /m.test(text)
          ? "the last state of each resource; the build log left out"
          : "the last state of each resource",
      );
    text = progress;
  }
  if (step.kind === "ps") {
    text = withoutColumns(text, PS_COLUMNS_LEFT_OUT);
    cuts.push(`columns ${PS_COLUMNS_LEFT_OUT.join(" and ")} left out`);
  }
  const all = lines(text);
  if (all.length === 0) return entry;
  if (all.length > MAX_OUTPUT_LINES) {
    entry.output = all.slice(0, MAX_OUTPUT_LINES - 1).join("\n");
    cuts.push(`the first ${MAX_OUTPUT_LINES - 1} of ${all.length} lines`);
  } else entry.output = all.join("\n");
  if (cuts.length > 0) entry.excerpt = cuts.join("; ");
  return entry;
}

/**
 * What a build did, step by step, from its plain progress log: each Dockerfile step's line
 * (`#6 [2/3] RUN make`, BuildKit's internal steps left out), then `CACHED`, or its first line of output
 * and how long it took (nothing more for a step that printed nothing). A base image's digest is left out;
 * the earliest steps are left out when the rest would not fit a slide.
 */
export function buildSteps(log: string[]): string[] {
  const steps = new Map<string, { header: string; status?: string; output?: string }>();
  for (const line of log) {
    const match = /^#(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [, id, rest] = match as unknown as [string, string, string];
    const known = steps.get(id);
    if (!known) {
      if (/^\[(?!internal\])[^\]]*\d+\/\d+\]/.test(rest))
        steps.set(id, { header: line.replace(/@sha256:[0-9a-f]{64}/, "") });
      continue;
    }
    if (/^(CACHED|DONE \d+\.\d+s|ERROR)/.test(rest)) known.status = line;
    else if (/^\d+\.\d+ /.test(rest) && known.output === undefined) known.output = line;
  }
  // A step that ran and printed nothing needs no second line: the next step's line shows it finished.
  const shown = [...steps.values()].map(({ header, status, output }) => {
    if (status?.endsWith("CACHED")) return [header, status];
    return output ? [header, output, ...(status ? [status] : [])] : [header];
  });
  // The last steps are the ones that differ between builds: the earliest go first when a slide is short of room.
  while (shown.length > 1 && shown.flat().length > MAX_OUTPUT_LINES) shown.shift();
  return shown.flat();
}

/**
 * Compose's progress as the last state of each resource, in the order they first appear (` Container
 * greeter-web-1  Healthy`); BuildKit's build log and the intermediate states (Creating, Waiting) go.
 */
export function composeProgress(text: string): string {
  const last = new Map<string, string>();
  for (const line of lines(text)) {
    const match = /^ ((?:Network|Volume|Container|Image) \S+|\S+) {2}(\S.*)$/.exec(line);
    if (match) last.set(match[1]!, line);
  }
  return last.size === 0 ? text : [...last.values()].join("\n");
}

/** The kit's --label flags, left out of echoed commands as they are left out of the commands on the slide. */
function withoutKitLabels(text: string): string {
  return text.replace(/ --label bct\.[a-z.]+=\S+/g, "");
}

function lines(text: string): string[] {
  const trimmed = text.replace(/\n+$/, "");
  return trimmed === "" ? [] : trimmed.split("\n");
}

/** A docker table without some columns, re-laid out the way the CLI lays it out (three spaces between). */
export function withoutColumns(table: string, drop: string[]): string {
  const rows = lines(table);
  const header = rows[0];
  if (!header) return table;
  const starts = [...header.matchAll(/(?:^|(?<=\s{3}))\S.*?(?=\s{3}|$)/g)].map((match) => ({
    name: match[0].trim(),
    start: match.index,
  }));
  const cellsOf = (row: string) =>
    starts.map((column, index) => row.slice(column.start, starts[index + 1]?.start ?? row.length).trimEnd());
  const keep = starts
    .map((column, index) => (drop.includes(column.name) ? -1 : index))
    .filter((index) => index >= 0);
  const table2 = rows.map((row) => keep.map((index) => cellsOf(row)[index] ?? ""));
  const widths = keep.map((_, column) => Math.max(...table2.map((row) => row[column]!.length)));
  return table2
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3)))
        .join("")
        .trimEnd(),
    )
    .join("\n");
}
