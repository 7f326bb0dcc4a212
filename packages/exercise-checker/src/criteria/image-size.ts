import { formatBytes } from "@bct/engine";
import type { CheckContext, CriterionRunner } from "./context.ts";
import { type BaseHistory, finalBaseImage, nameLayers } from "./layer-names.ts";

const MB = 1000 * 1000;

export const checkImageSize: CriterionRunner<"image-size"> = async (criterion, context) => {
  const started = Date.now();
  const tag = context.imageTag!;
  const measured = await context.engine.images.size(tag);
  context.timings.size = Date.now() - started;
  if (!measured) return { status: "fail", message: `The built image ${tag} is gone.`, measured: null };
  // The engine's measure (the sum of the uncompressed layers) agrees on every image store.
  const { bytes: size, layers: history, reported } = measured;
  const largest = nameLayers(history, context.dockerfile, await baseHistory(context))
    .filter((layer) => layer.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, criterion.largestLayers)
    .map((layer) => `${formatBytes(layer.size).padStart(9)}  ${layer.description}`);
  const shown = `${formatBytes(size)} (${history.length} layers${reported < size ? `, ${formatBytes(reported)} compressed` : ""})`;
  const layers =
    largest.length > 0 ? `\nlargest layers:\n${largest.map((line) => `  ${line}`).join("\n")}` : "";
  if (size > criterion.maxMegabytes * MB) {
    return {
      status: "fail",
      message: `${shown}: more than ${criterion.maxMegabytes} MB${layers}`,
      measured: size,
    };
  }
  const gold =
    size <= criterion.goldMegabytes * MB
      ? `, gold: within the ${criterion.goldMegabytes} MB target`
      : `; at most ${criterion.maxMegabytes} MB passes, ${criterion.goldMegabytes} MB is gold`;
  return { status: "pass", message: `${shown}${gold}${layers}`, measured: size };
};

/** The final stage's base image and its history, when it is an image on this engine (not scratch). */
async function baseHistory(context: CheckContext): Promise<BaseHistory | undefined> {
  const image = context.dockerfile && finalBaseImage(context.dockerfile);
  if (!image || !(await context.engine.images.exists(image))) return undefined;
  return { image, layers: await context.engine.images.history(image) };
}
