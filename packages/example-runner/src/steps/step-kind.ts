import type { Console, Writable } from "@bct/cli";
import type { Engine, PullPolicy } from "@bct/engine";
import type { z } from "zod";
import type { ProcessOutcome } from "../expectations.ts";
import type { TextMatcher } from "../fields.ts";
import type { PlaceholderValues } from "../placeholders.ts";

export interface StepContext {
  engine: Engine;
  /** The example being run: its folder is where commands run and {{example}} points. */
  example: { name: string; dir: string };
  workdir: string;
  pullPolicy: PullPolicy;
  /** Where the step's own output goes (what `docker` would print). */
  out: Writable;
  console: Console;
  /** Images this example builds or tags: never pulled. */
  ownImages: Set<string>;
  /** Tags this run created on images it did not build, to remove at cleanup. */
  createdTags: string[];
}

export interface StepResult {
  /** Unmet expectations, one line each. */
  failures: string[];
  /** Things worth saying that are not failures (a skipped check and why). */
  notes: string[];
}

/**
 * Something a step creates by name: the --print script checks the name is free before its first step. A
 * Compose project is free when nothing carries its label.
 */
export interface NamedResource {
  type: "container" | "network" | "volume" | "project";
  name: string;
}

type KindSchema = z.ZodObject<{ kind: z.ZodLiteral<string> }>;

/**
 * Everything about one step kind, in one module: its schema, the command an attendee types, how the runner
 * runs and checks it, its form in the --print script, and what the deck may show of its output.
 */
export interface StepKind<Schema extends KindSchema = KindSchema> {
  readonly schema: Schema;
  /** The command as typed. Placeholders become `values` (the deck's $PWD or the script's $WORKDIR). */
  command(step: z.output<Schema>, values: PlaceholderValues): string;
  /** Runs the step through the engine (or bash) and checks its expectations. */
  execute(step: z.output<Schema>, context: StepContext): Promise<StepResult>;
  /** The step's lines in the --print script, given its command rendered for the script; same verdicts. */
  script(step: z.output<Schema>, command: string): string[];
  /**
   * What the step prints, as matchers derived from its expectations, stdout first. The deck shows an exact
   * one (or the step's sampleOutput), and a sampleOutput must satisfy every one of them.
   */
  outputMatchers?(step: z.output<Schema>): TextMatcher[];
  /**
   * The step's expectations checked on a recorded output, with no engine (the deck's recordings).
   * Without it, the recorded stdout must satisfy the step's output matchers.
   */
  checkRecorded?(step: z.output<Schema>, recorded: ProcessOutcome): string[];
  /** Containers, networks and volumes the step creates by name. */
  creates?(step: z.output<Schema>): NamedResource[];
  /** Images the example makes itself with this step (built or tagged): never pulled, pinning not required. */
  ownImages?(step: z.output<Schema>): string[];
}

export function defineStepKind<Schema extends KindSchema>(kind: StepKind<Schema>): StepKind<Schema> {
  return kind;
}

export const ok = (notes: string[] = []): StepResult => ({ failures: [], notes });
export const verdict = (failures: string[], notes: string[] = []): StepResult => ({ failures, notes });

/** Writes what a process printed: stdout to the step's output, stderr to stderr. */
export function writeOutcome(
  out: Writable,
  console: Console,
  outcome: { stdout: string; stderr: string },
): void {
  const trim = (text: string) => text.replace(/[\r\n]+$/, "");
  if (outcome.stdout) out.write(`${trim(outcome.stdout)}\n`);
  if (outcome.stderr) console.stderr.write(`${trim(outcome.stderr)}\n`);
}
