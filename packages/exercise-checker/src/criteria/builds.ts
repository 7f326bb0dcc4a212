import { isKitError } from "@bct/engine";
import type { CriterionRunner } from "./context.ts";

export const checkBuilds: CriterionRunner<"builds"> = async (criterion, context) => {
  const tag = `bct-check/${context.exercise.id}:${context.engine.session.id}`;
  const started = Date.now();
  let lastStep = "";
  try {
    await context.engine.images.build({
      context: context.dir,
      tags: [tag],
      labels: { "bct.exercise": context.exercise.id },
      timeoutMs: criterion.timeoutSeconds * 1000,
      onLog: (line) => {
        if (/^Step \d+\/\d+ :/.test(line) && line !== lastStep) {
          lastStep = line;
          context.progress(`build: ${line}`);
        }
      },
    });
  } catch (error) {
    context.timings.build = Date.now() - started;
    if (isKitError(error) && (error.code === "BUILD_FAILED" || error.code === "TIMEOUT")) {
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
