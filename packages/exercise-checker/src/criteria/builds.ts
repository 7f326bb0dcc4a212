import { BuildError, isKitError } from "@bct/engine";
import { diagnoseBuild } from "../diagnoses/build.ts";
import type { CheckContext, CriterionRunner } from "./context.ts";

const STEP_HEADER = /^#(\d+) (\[(?!internal\])[^\]]+\] .*)$/;
const STEP_END = /^#(\d+) (DONE|CACHED|ERROR|CANCELED)\b/;

/**
 * The build's progress as the examples show it: every line of the plain log, and a progress line naming
 * the Dockerfile step that runs and for how long, renewed while it runs.
 */
function buildProgress(context: CheckContext) {
  const running = new Map<string, { name: string; started: number }>();
  const show = () => {
    const step = [...running.values()].at(-1);
    if (step) {
      const seconds = Math.floor((Date.now() - step.started) / 1000);
      context.progress(`build: ${step.name}${seconds > 0 ? `, running for ${seconds} s` : ""}`);
    }
  };
  const timer = setInterval(show, context.progressIntervalMs);
  return {
    onLog: (line: string) => {
      context.log(line);
      const header = STEP_HEADER.exec(line);
      if (header && !running.has(header[1]!)) {
        running.set(header[1]!, { name: header[2]!, started: Date.now() });
        show();
      }
      const end = STEP_END.exec(line);
      if (end) running.delete(end[1]!);
    },
    stop: () => clearInterval(timer),
  };
}

export const checkBuilds: CriterionRunner<"builds"> = async (criterion, context) => {
  const tag = `bct-check/${context.exercise.id}:${context.engine.session.id}`;
  const started = Date.now();
  const progress = buildProgress(context);
  try {
    await context.engine.images.build({
      context: context.dir,
      tags: [tag],
      labels: { "bct.exercise": context.exercise.id },
      timeoutMs: criterion.timeoutSeconds * 1000,
      onLog: progress.onLog,
    });
  } catch (error) {
    context.timings.build = Date.now() - started;
    if (error instanceof BuildError) {
      const hint = diagnoseBuild({ error, dockerfile: context.dockerfile, dir: context.dir });
      return { status: "fail", message: describeBuildFailure(error), measured: null, hint };
    }
    if (isKitError(error) && error.code === "TIMEOUT") {
      return { status: "fail", message: error.message, measured: null };
    }
    throw error;
  } finally {
    progress.stop();
  }
  context.timings.build = Date.now() - started;
  context.imageTag = tag;
  return {
    status: "pass",
    message: `built in ${(context.timings.build / 1000).toFixed(1)} s`,
    measured: Number((context.timings.build / 1000).toFixed(1)),
  };
};

/** What the attendee needs to fix a build: where it stopped, what that step printed, what BuildKit said. */
export function describeBuildFailure(error: BuildError): string {
  const lines: string[] = [];
  const instruction = error.instruction;
  lines.push(
    instruction
      ? `The build stopped at ${instruction.text}${instruction.line ? ` (Dockerfile line ${instruction.line})` : ""}.`
      : "The build stopped before the first instruction.",
  );
  if (error.stepOutput.length > 0) {
    lines.push("Its last lines of output:");
    for (const line of error.stepOutput) lines.push(`  ${line}`);
  }
  lines.push(`BuildKit: ${error.builderMessage}`);
  return lines.join("\n");
}
