import type { Dockerfile } from "@bct/dockerfile";
import type { Engine } from "@bct/engine";
import type { LintAdvice } from "../dockerfile/lint.ts";
import type { Criterion, CriterionStatus, Exercise } from "../schema.ts";

/** What one criterion found. `hint` replaces the criterion's own hint when the runner knows better. */
export interface Outcome {
  status: CriterionStatus;
  message: string;
  measured: string | number | null;
  hint?: string;
  /** Extra text searched by the criterion's diagnoses (e.g. the container log). */
  evidence?: string;
}

/** The checker's own container of the attendee's image, with the temporary input file it reads. */
export interface ProbeContainer {
  id: string;
  url: string;
  inputFile: string;
}

/** Shared by the criteria of one check: each one leaves what the next ones need. */
export interface CheckContext {
  engine: Engine;
  exercise: Exercise;
  /** The folder being checked (Dockerfile + app). */
  dir: string;
  /** Progress lines (stderr): the running step and how long it has run. */
  progress: (line: string) => void;
  /** The build's own output, as `docker build --progress=plain` prints it (stderr). */
  log: (line: string) => void;
  /** How often the progress line of a running build step is renewed. */
  progressIntervalMs: number;
  /** Files to delete after the check. */
  temporaryPaths: string[];
  /** Milliseconds per phase, for the report and the bench. */
  timings: Record<string, number>;
  dockerfile?: Dockerfile;
  advice: LintAdvice[];
  imageTag?: string;
  probe?: ProbeContainer;
}

export type CriterionRunner<K extends Criterion["kind"]> = (
  criterion: Extract<Criterion, { kind: K }>,
  context: CheckContext,
) => Promise<Outcome>;
