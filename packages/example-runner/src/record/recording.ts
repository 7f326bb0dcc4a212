import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { z } from "zod";
import type { LoadedExample } from "../loader.ts";
import { TRANSCRIPT_PLACEHOLDERS } from "../placeholders.ts";
import type { Step } from "../schema.ts";
import { checkRecordedOutput, stepCommand } from "../steps/index.ts";
import type { CapturedStep } from "./capture.ts";
import { Normaliser } from "./normalise.ts";

/** Stored beside the manifest: examples/<name>/recording.json. */
export const RECORDING_FILE = "recording.json";
/** The command that refreshes every recording (after an image tag, the builder or an example changes). */
export const RECORD_ALL_COMMAND = "pnpm example --all --record";

const recordedStepSchema = z
  .object({
    index: z.number().int().positive(),
    title: z.string(),
    command: z.string().describe("The command as the deck shows it"),
    stdout: z.string(),
    stderr: z.string(),
    exitCode: z.number().int(),
  })
  .strict();
export type RecordedStep = z.infer<typeof recordedStepSchema>;

const imageProvenanceSchema = z
  .object({
    content: z
      .enum(["upstream", "upstream-files", "model"])
      .describe(
        "upstream: the real image; upstream-files: a test stand-in made of the upstream image's own files; model: a stand-in built from Debian packages",
      ),
    files: z.string().optional().describe("which upstream files (a folder of shared/upstream)"),
  })
  .strict();
export type ImageProvenance = z.infer<typeof imageProvenanceSchema>;

export const recordingSchema = z
  .object({
    example: z.string(),
    /** sha256 of the example's files (its README and this file excepted): a change needs a new recording. */
    freshness: z.string().regex(/^[0-9a-f]{64}$/),
    recordedWith: z
      .object({
        engine: z.string().describe("Docker Engine version"),
        images: z
          .record(z.string(), imageProvenanceSchema)
          .describe("What each course image the example uses was, on the engine that recorded it"),
      })
      .strict(),
    steps: z.array(recordedStepSchema),
  })
  .strict();
export type Recording = z.infer<typeof recordingSchema>;

/** Files whose content decides what an example prints: everything in its folder but README and recording. */
export function exampleFreshness(exampleDir: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(exampleDir, path).split(sep).join("/");
      if (rel === RECORDING_FILE || rel === "README.md") continue;
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${rel}\0`).update(readFileSync(path)).update("\0");
    }
  };
  walk(exampleDir);
  return hash.digest("hex");
}

export interface RecordingMeta {
  engine: string;
  images: Record<string, ImageProvenance>;
  sessionId: string;
  repoRoot: string;
}

/** Turns what a run captured into a recording; only a run whose every step passed is recorded. */
export function buildRecording(
  example: LoadedExample,
  captured: CapturedStep[],
  meta: RecordingMeta,
): Recording {
  const normaliser = new Normaliser({
    sessionId: meta.sessionId,
    repoRoot: meta.repoRoot,
  });
  const steps = example.manifest.steps.map((step, index): RecordedStep => {
    const capture = captured.find((entry) => entry.index === index + 1);
    if (!capture) throw new Error(`step ${index + 1} of ${example.name} did not run`);
    return {
      index: index + 1,
      title: step.title,
      command: stepCommand(step, TRANSCRIPT_PLACEHOLDERS),
      stdout: normaliser.text(capture.stdout),
      stderr: normaliser.text(capture.stderr),
      exitCode: capture.exitCode,
    };
  });
  return {
    example: example.name,
    freshness: exampleFreshness(example.dir),
    recordedWith: { engine: meta.engine, images: meta.images },
    steps,
  };
}

export function writeRecording(example: LoadedExample, recording: Recording): string {
  const file = join(example.dir, RECORDING_FILE);
  writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`);
  return file;
}

export type RecordingRead = { ok: true; recording: Recording } | { ok: false; problem: string };

export function readRecording(example: LoadedExample): RecordingRead {
  const file = join(example.dir, RECORDING_FILE);
  const label = `examples/${example.name}/${RECORDING_FILE}`;
  if (!existsSync(file))
    return { ok: false, problem: `${label} is missing: run pnpm example ${example.name} --record` };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, problem: `${label}: not JSON (${(error as Error).message})` };
  }
  const parsed = recordingSchema.safeParse(data);
  if (!parsed.success)
    return {
      ok: false,
      problem: parsed.error.issues
        .map((issue) => `${label}: ${issue.path.join(".")}: ${issue.message}`)
        .join("\n"),
    };
  return { ok: true, recording: parsed.data };
}

/**
 * What is wrong with an example's recording, one line each; empty when it is fresh and every recorded
 * output meets its step's expectations. This is the CI re-check: it needs no engine.
 */
export function checkRecording(example: LoadedExample): string[] {
  const read = readRecording(example);
  if (!read.ok) return [read.problem];
  const { recording } = read;
  const problems: string[] = [];
  const again = `run pnpm example ${example.name} --record (or ${RECORD_ALL_COMMAND})`;
  if (recording.freshness !== exampleFreshness(example.dir))
    problems.push(`examples/${example.name} changed after it was recorded: ${again}`);
  const steps = example.manifest.steps;
  if (recording.steps.length !== steps.length) {
    problems.push(`the recording has ${recording.steps.length} steps, the example ${steps.length}: ${again}`);
    return problems;
  }
  for (const [index, step] of steps.entries()) {
    const recorded = recording.steps[index]!;
    const where = `${example.name} step ${index + 1} (${step.title})`;
    const command = stepCommand(step, TRANSCRIPT_PLACEHOLDERS);
    if (recorded.command !== command) problems.push(`${where}: recorded command differs: ${again}`);
    for (const failure of recordedFailures(step, recorded)) problems.push(`${where}: ${failure}`);
  }
  return problems;
}

/** The step's expectations, checked on what was recorded instead of on a live engine. */
export function recordedFailures(step: Step, recorded: RecordedStep): string[] {
  return checkRecordedOutput(step, {
    exitCode: recorded.exitCode,
    stdout: recorded.stdout,
    stderr: recorded.stderr,
  });
}
