import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { connectEngine, type Engine, LABEL } from "@bct/engine";
import { checkAttendeeContainer } from "./criteria/attendee-container.ts";
import { checkBuilds } from "./criteria/builds.ts";
import type { CheckContext, Outcome } from "./criteria/context.ts";
import { checkDockerfile } from "./criteria/dockerfile.ts";
import { checkImageSize } from "./criteria/image-size.ts";
import { checkFollowsEdits, checkListens, checkServesInput } from "./criteria/probe-container.ts";
import type { CheckReport, Criterion, CriterionKind, CriterionResult, Exercise } from "./schema.ts";

/** Which criteria must have passed before a criterion can be checked at all. */
const PREREQUISITES: Record<CriterionKind, CriterionKind[]> = {
  dockerfile: [],
  builds: ["dockerfile"],
  "image-size": ["builds"],
  listens: ["builds"],
  "serves-input": ["listens"],
  "follows-edits": ["serves-input"],
  "attendee-container": [],
};

function runCriterion(criterion: Criterion, context: CheckContext): Promise<Outcome> {
  switch (criterion.kind) {
    case "dockerfile":
      return checkDockerfile(criterion, context);
    case "builds":
      return checkBuilds(criterion, context);
    case "image-size":
      return checkImageSize(criterion, context);
    case "listens":
      return checkListens(criterion, context);
    case "serves-input":
      return checkServesInput(criterion, context);
    case "follows-edits":
      return checkFollowsEdits(criterion, context);
    case "attendee-container":
      return checkAttendeeContainer(criterion, context);
  }
}

export interface CheckOptions {
  exercise: Exercise;
  /** The folder with the Dockerfile and the app. */
  dir: string;
  /** An engine to use; otherwise one is connected for this check and closed after. */
  engine?: Engine;
  progress?: (line: string) => void;
  /** The build's output lines, as they come. */
  log?: (line: string) => void;
  /** How often a running build step's elapsed time is shown (default every second). */
  progressIntervalMs?: number;
  /** Check only these criterion ids (tests); the others are left out of the report. */
  only?: string[];
  /** Called with each result as soon as it is known. */
  onResult?: (result: CriterionResult) => void;
}

/** Checks every criterion in order; whatever the check created is removed before it returns. */
export async function checkExercise(options: CheckOptions): Promise<CheckReport> {
  const engine = options.engine ?? (await connectEngine({ owner: `exercise:${options.exercise.id}` }));
  const context: CheckContext = {
    engine,
    exercise: options.exercise,
    dir: resolve(options.dir),
    progress: options.progress ?? (() => {}),
    log: options.log ?? (() => {}),
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    temporaryPaths: [],
    timings: {},
    advice: [],
  };
  const results: CriterionResult[] = [];
  const started = Date.now();
  try {
    const selected = options.exercise.criteria.filter(
      (criterion) => !options.only || options.only.includes(criterion.id),
    );
    for (const criterion of selected) {
      const result = await evaluate(criterion, context, results);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await removeWhatTheCheckMade(context);
  }
  context.timings.total = Date.now() - started;
  const passed = results.filter((result) => result.status === "pass").length;
  return {
    exercise: options.exercise.id,
    dir: context.dir,
    complete: passed === results.length,
    passed,
    total: results.length,
    advice: context.advice.map((advice) => ({
      ...advice,
      line: advice.line ?? null,
      url: advice.url ?? null,
    })),
    criteria: results,
    timings: context.timings,
  };
}

async function evaluate(
  criterion: Criterion,
  context: CheckContext,
  earlier: CriterionResult[],
): Promise<CriterionResult> {
  const started = Date.now();
  const blocking = earlier.find(
    (result) =>
      PREREQUISITES[criterion.kind].includes(result.kind as CriterionKind) && result.status !== "pass",
  );
  const base = { id: criterion.id, kind: criterion.kind, title: criterion.title };
  if (blocking) {
    return {
      ...base,
      status: "skip",
      message: `not checked: "${blocking.title}" did not pass`,
      measured: null,
      hint: `First make "${blocking.title}" pass.`,
      durationMs: 0,
    };
  }
  context.progress(`checking: ${criterion.title}`);
  const outcome = await runCriterion(criterion, context);
  return {
    ...base,
    status: outcome.status,
    message: outcome.message,
    measured: outcome.measured,
    hint: outcome.status === "pass" ? null : chooseHint(criterion, outcome),
    durationMs: Date.now() - started,
  };
}

/**
 * The runner's own hint (it read the failing tool's output, the Dockerfile or the image) beats a matching
 * diagnosis of the YAML, which beats the criterion's general hint.
 */
export function chooseHint(criterion: Criterion, outcome: Outcome): string {
  if (outcome.hint) return outcome.hint;
  const text = `${outcome.message}\n${outcome.evidence ?? ""}`;
  const diagnosis = criterion.diagnoses.find((candidate) => new RegExp(candidate.when, "i").test(text));
  return diagnosis?.hint ?? criterion.hint;
}

async function removeWhatTheCheckMade(context: CheckContext): Promise<void> {
  const { engine } = context;
  const ours = await engine.containers.list({ all: true, label: `${LABEL.session}=${engine.session.id}` });
  for (const container of ours) await engine.containers.removeById(container.id);
  // Untag instead of remove: the layers the build made stay as build cache, so the next check is quick.
  if (context.imageTag) await engine.images.untag(context.imageTag);
  await engine.cleanup();
  for (const path of context.temporaryPaths) rmSync(path, { recursive: true, force: true });
}
