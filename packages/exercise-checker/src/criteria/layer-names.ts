import type { Dockerfile, Instruction, Stage } from "@bct/dockerfile";
import type { ImageLayer } from "@bct/engine";

/** A line of the layer list: what made it, in the attendee's words, and its size. */
export interface NamedLayer {
  description: string;
  size: number;
}

/** Where the image starts: the base image of the final stage and its history (newest first, as the engine has it). */
export interface BaseHistory {
  image: string;
  layers: ImageLayer[];
}

/**
 * Names each layer of an image (history newest first) by the Dockerfile instruction that made it; the
 * layers the base image brought are one line, "from golang:1.27".
 */
export function nameLayers(
  history: ImageLayer[],
  dockerfile: Dockerfile | undefined,
  base: BaseHistory | undefined,
): NamedLayer[] {
  const oldestFirst = [...history].reverse();
  const named: NamedLayer[] = [];
  let own = oldestFirst;
  if (base && base.layers.length <= oldestFirst.length) {
    const fromBase = oldestFirst.slice(0, base.layers.length);
    own = oldestFirst.slice(base.layers.length);
    named.push({
      description: `from ${base.image} (${fromBase.length} layer${fromBase.length === 1 ? "" : "s"} of the base image)`,
      size: fromBase.reduce((sum, layer) => sum + layer.size, 0),
    });
  }
  const instructions = dockerfile ? instructionsOfFinalImage(dockerfile) : [];
  let next = 0;
  for (const layer of own) {
    const keyword = keywordOf(layer.createdBy);
    const at = instructions.findIndex(
      (instruction, index) => index >= next && instruction.keyword === keyword,
    );
    if (at >= 0) {
      const instruction = instructions[at]!;
      next = at + 1;
      named.push({
        description: `${instruction.keyword} ${oneLine(instruction.args)} (line ${instruction.line})`,
        size: layer.size,
      });
    } else {
      named.push({ description: describeLayer(layer.createdBy), size: layer.size });
    }
  }
  return named.reverse();
}

/** The image the final stage really starts from (following `FROM <stage>`); undefined for scratch. */
export function finalBaseImage(dockerfile: Dockerfile): string | undefined {
  const chain = stageChain(dockerfile);
  const first = chain[0]!;
  return first.base.toLowerCase() === "scratch" ? undefined : first.base;
}

/** The stages whose instructions make the final image's own layers, the first one FROM an image. */
function stageChain(dockerfile: Dockerfile): Stage[] {
  const chain: Stage[] = [dockerfile.stages.at(-1)!];
  for (;;) {
    const stage = chain[0]!;
    const parent = dockerfile.stages
      .slice(0, stage.index)
      .reverse()
      .find((candidate) => candidate.name === stage.base.toLowerCase());
    if (!parent) return chain;
    chain.unshift(parent);
  }
}

function instructionsOfFinalImage(dockerfile: Dockerfile): Instruction[] {
  return stageChain(dockerfile).flatMap((stage) => stage.instructions);
}

/** The instruction keyword of a history entry as BuildKit (or the classic builder) records it. */
function keywordOf(createdBy: string): string {
  const text = createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, "").replace(/^\|\d+ (\S+=\S*\s+)*/, "");
  if (/^\/bin\/sh -c /.test(text) || /^RUN /.test(text)) return "RUN";
  return (text.split(/\s+/)[0] ?? "").toUpperCase();
}

/** A history entry without the builder's wrapping, for a layer no instruction of the Dockerfile explains. */
export function describeLayer(createdBy: string): string {
  const text = createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, "")
    .replace(/^\/bin\/sh -c /, "RUN ")
    .replace(/^RUN \/bin\/sh -c /, "RUN ")
    .replace(/\s*# buildkit$/, "")
    .replace(/\b(file|dir):([0-9a-f]{12})[0-9a-f]{52}\b/g, "$1:$2…")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return "(no instruction recorded for this layer)";
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
