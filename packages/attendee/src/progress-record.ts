import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFileAtomically } from "./json-file.ts";
import { columnKey, type RunOutcome } from "./run-outcome.ts";

export const PROGRESS_FILE = "progress.json";

const entrySchema = z
  .object({
    kind: z.enum(["example", "criterion"]),
    id: z.string(),
    runs: z.number().int().nonnegative(),
    passes: z.number().int().nonnegative(),
    lastOk: z.boolean(),
    lastRunAt: z.string(),
    firstPassedAt: z.string().nullable(),
    lastDurationMs: z.number().nonnegative(),
  })
  .strict();
export type ProgressEntry = z.infer<typeof entrySchema>;

const recordSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), entrySchema) }).strict();
export type ProgressRecord = z.infer<typeof recordSchema>;

export function progressFile(dir: string): string {
  return join(dir, PROGRESS_FILE);
}

/** This attendee's record; an absent or damaged file reads as an empty record. */
export function readProgress(dir: string): ProgressRecord {
  const parsed = recordSchema.safeParse(readJsonFile(progressFile(dir)));
  return parsed.success ? parsed.data : { version: 1, entries: {} };
}

export function addToProgress(dir: string, outcomes: RunOutcome[], now = new Date()): ProgressRecord {
  const record = readProgress(dir);
  const at = now.toISOString();
  for (const outcome of outcomes) {
    const key = columnKey(outcome);
    const previous = record.entries[key];
    record.entries[key] = {
      kind: outcome.kind,
      id: outcome.id,
      runs: (previous?.runs ?? 0) + 1,
      passes: (previous?.passes ?? 0) + (outcome.ok ? 1 : 0),
      lastOk: outcome.ok,
      lastRunAt: at,
      firstPassedAt: previous?.firstPassedAt ?? (outcome.ok ? at : null),
      lastDurationMs: Math.round(outcome.durationMs),
    };
  }
  writeJsonFileAtomically(progressFile(dir), record);
  return record;
}
