import { BuildError, isKitError } from "@bct/engine";
import { diagnoseBuild } from "../diagnoses/build.ts";
import type { CriterionRunner } from "./context.ts";

const STEP_HEADER = /^#\d+ (\[(?!internal\])[^\]]+\] .*)$/;

export const checkBuilds: CriterionRunner<"builds"> = async (criterion, context) => {
  const tag = `bct-check/${context.exercise.id}:${context.engine.session.id}`;
  const started = Date.now();
  try {
    await context.engine.images.build({
      context: context.dir,
      tags: [tag],
      labels: { "bct.exercise": context.exercise.id },
      timeoutMs: criterion.timeoutSeconds * 1000,
      onLog: (line) => {
        const step = STEP_HEADER.exec(line);
        if (step) context.progress(`build: ${step[1]}`);
      },
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
