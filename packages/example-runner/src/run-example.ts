import { rmSync } from "node:fs";
import { recordRun } from "@bct/attendee";
import { type Console, exitInterrupted, type Writable } from "@bct/cli";
import { type CleanupReport, type Engine, EXIT, isKitError, isManaged, type PullPolicy } from "@bct/engine";
import type { LoadedExample } from "./loader.ts";
import { TRANSCRIPT_PLACEHOLDERS } from "./placeholders.ts";
import { preflight } from "./preflight.ts";
import type { Presenter } from "./presenter.ts";
import type { StepCapture } from "./record/capture.ts";
import { type ExampleReport, formatDuration, type StepReport } from "./report.ts";
import { executeStep, ownImages, type StepContext, stepCommand } from "./steps/index.ts";
import { waitingFor } from "./waiting.ts";
import { createWorkdir, removeWorkdir } from "./workdir.ts";

/** A step still running after this long says what it waits for. */
const QUIET_MS = 2000;

export interface RunExampleOptions {
  engine: Engine;
  console: Console;
  /** Where commands and their output go: stdout, or stderr when stdout carries --json. */
  out: Writable;
  pullPolicy: PullPolicy;
  /** --keep: leave what the run created. */
  keep: boolean;
  presenter?: Presenter;
  /** Under --all: this example's place in the run, shown in its header ([3/19]). */
  position?: { index: number; total: number };
  /** --record: the streams each step runs with, so that its own output is kept. */
  capture?: StepCapture;
}

/** Runs one example: preflight, each step (command, output, expectations), then cleanup that always happens. */
export async function runExample(example: LoadedExample, options: RunExampleOptions): Promise<ExampleReport> {
  const { engine, console, out } = options;
  const started = performance.now();
  // --keep leaves containers for exploring: a run step then runs, and shows, without --rm.
  const steps = example.manifest.steps.map((step) =>
    options.keep && step.kind === "run" && step.rm ? { ...step, rm: false } : step,
  );
  const report: ExampleReport = {
    name: example.name,
    title: example.manifest.title,
    ok: false,
    exitCode: EXIT.ok,
    durationMs: 0,
    sessionId: engine.session.id,
    steps: [],
    skipped: 0,
  };
  const paint = out === console.stdout ? console.out : console.err;
  const place = options.position ? `[${options.position.index}/${options.position.total}] ` : "";
  out.write(`${paint.bold(`▶ ${place}${example.name}: ${example.manifest.title}`)}\n`);

  let workdir: string | undefined;
  let interrupted = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  const endInterrupted = (removed?: CleanupReport) => {
    const at = report.steps.length;
    console.warn(`Interrupted ${example.name} at step ${at}/${steps.length}; ${describeRemoved(removed)}.`);
    exitInterrupted();
  };
  const stopInterruptHandler = engine.cleanupOnInterrupt(endInterrupted, async (signal) => {
    interrupted = true;
    console.warn(`${signal}: stopping ${example.name} and removing what it created…`);
    // Let the engine call in flight finish (up to a few seconds) so that what it creates is cleaned up too.
    await Promise.race([
      inFlight.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });
  const context: Omit<StepContext, "workdir"> = {
    engine,
    example,
    pullPolicy: options.pullPolicy,
    out,
    console,
    ownImages: ownImages(steps),
    createdTags: [],
  };
  try {
    await preflight(example, engine);
    workdir = await createWorkdir(example.name);
    for (const [index, step] of steps.entries()) {
      const label = `step ${index + 1}/${steps.length}`;
      await options.presenter?.beforeStep(`${label}: ${step.title}`);
      if (interrupted) await new Promise(() => undefined); // the interrupt handler cleans up and exits 130
      const command = stepCommand(step, TRANSCRIPT_PLACEHOLDERS);
      out.write(`\n${paint.cyan(`[${index + 1}/${steps.length}] ${step.title}`)}\n`);
      // As written in the script, so that a multi-line command (a heredoc) pastes and runs as shown.
      out.write(`${paint.dim("$")} ${command}\n`);
      const stepStarted = performance.now();
      const stepReport: StepReport = {
        index: index + 1,
        kind: step.kind,
        title: step.title,
        command,
        ok: false,
        durationMs: 0,
        failures: [],
        notes: [],
      };
      report.steps.push(stepReport);
      try {
        const streams = options.capture?.step(index + 1, { out, console });
        const running = executeStep(step, { ...context, workdir, ...streams });
        inFlight = running;
        const quiet = setTimeout(() => console.info(`${waitingFor(step)}…`), QUIET_MS);
        const result = await running.finally(() => clearTimeout(quiet));
        // A step whose process Ctrl-C stopped reports a failure rather than throwing: the handler exits 130.
        if (interrupted) await new Promise(() => undefined);
        stepReport.failures = result.failures;
        stepReport.notes = result.notes;
        stepReport.ok = result.failures.length === 0;
      } catch (error) {
        if (interrupted) await new Promise(() => undefined); // the step stopped for Ctrl-C: the handler exits 130
        stepReport.failures = [isKitError(error) ? error.message : String(error)];
        throw error;
      } finally {
        stepReport.durationMs = performance.now() - stepStarted;
        for (const note of stepReport.notes) console.info(note);
        for (const failure of stepReport.failures) out.write(`${paint.red(`✗ ${failure}`)}\n`);
        if (stepReport.ok && !interrupted)
          out.write(`${paint.green("✓")} ${paint.dim(formatDuration(stepReport.durationMs))}\n`);
      }
      if (!stepReport.ok) {
        report.exitCode = EXIT.unmet;
        break;
      }
    }
  } catch (error) {
    if (!isKitError(error)) throw error;
    report.exitCode = error.exitCode;
    report.error = { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  } finally {
    stopInterruptHandler();
    options.presenter?.close();
    if (options.keep) {
      report.leftBehind = await engine.listLabelled(engine.session.id);
      for (const project of engine.compose.claimed()) {
        const left = await engine.compose.resources(project);
        if (Object.values(left).every((names) => names.length === 0)) continue;
        for (const kind of ["containers", "networks", "volumes", "images"] as const)
          report.leftBehind[kind].push(...left[kind]);
        report.keptProjects = [...(report.keptProjects ?? []), project];
      }
    } else {
      await cleanUp(engine, context.createdTags, console);
      if (workdir) {
        const problem = await removeWorkdir(workdir);
        if (problem) console.warn(problem);
      }
    }
  }
  report.skipped = steps.length - report.steps.length;
  report.ok = report.exitCode === EXIT.ok;
  report.durationMs = performance.now() - started;
  if (options.keep && workdir) console.info(`Work dir kept: ${workdir}`);
  await recordRun([{ kind: "example", id: example.name, ok: report.ok, durationMs: report.durationMs }]);
  return report;
}

async function cleanUp(engine: Engine, createdTags: string[], console: Console): Promise<void> {
  try {
    await engine.cleanup();
    for (const tag of createdTags) {
      const details = await engine.images.inspect(tag);
      if (details && !isManaged(details.labels)) await engine.images.untag(tag);
    }
  } catch (error) {
    console.warn(
      `Cleanup was incomplete: ${isKitError(error) ? error.message : String(error)}. Run: pnpm example clean`,
    );
  }
}

/** "removed container web, volume data" or "nothing was left to remove", for the line that ends a Ctrl-C. */
function describeRemoved(removed: CleanupReport | undefined): string {
  if (!removed) return "its cleanup did not finish: pnpm example clean removes what is left";
  const parts = (
    [
      ["container", removed.containers],
      ["network", removed.networks],
      ["volume", removed.volumes],
      ["image", removed.images],
    ] as const
  ).flatMap(([kind, names]) =>
    names.length > 0 ? [`${kind}${names.length > 1 ? "s" : ""} ${names.join(", ")}`] : [],
  );
  return parts.length > 0 ? `removed ${parts.join("; ")}` : "nothing was left to remove";
}
