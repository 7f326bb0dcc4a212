import { formatBytes } from "@bct/engine";
import type { CriterionRunner } from "./context.ts";

const MB = 1000 * 1000;

export const checkImageSize: CriterionRunner<"image-size"> = async (criterion, context) => {
  const started = Date.now();
  const tag = context.imageTag!;
  const measured = await context.engine.images.size(tag);
  context.timings.size = Date.now() - started;
  if (!measured) return { status: "fail", message: `The built image ${tag} is gone.`, measured: null };
  // The engine's measure (the sum of the uncompressed layers) agrees on every image store.
  const { bytes: size, layers: history, reported } = measured;
  const largest = history
    .filter((layer) => layer.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, criterion.largestLayers)
    .map((layer) => `${formatBytes(layer.size).padStart(9)}  ${describeLayer(layer.createdBy)}`);
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

/** The instruction that made a layer, without the builder's "/bin/sh -c #(nop)" wrapping. */
export function describeLayer(createdBy: string): string {
  const text = createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, "")
    .replace(/^\/bin\/sh -c /, "RUN ")
    .replace(/\b(file|dir):([0-9a-f]{12})[0-9a-f]{52}\b/g, "$1:$2…")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}
