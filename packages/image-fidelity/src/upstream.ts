import type { Engine } from "@bct/engine";
import { courseImages } from "@bct/example-runner";
import { REPO_ROOT } from "./standins.ts";

/** The course registry's image (.ci/start-registry.sh), beside the images the course files name. */
export const COURSE_REGISTRY_IMAGE = "registry:3";

/** Every image the course runs on: the ones its files name, and the course registry's. */
export async function courseImageRefs(repoRoot = REPO_ROOT): Promise<string[]> {
  const refs = new Set((await courseImages(repoRoot)).map((image) => image.ref));
  refs.add(COURSE_REGISTRY_IMAGE);
  return [...refs].sort();
}

/** Which of these images are, on this engine, stand-ins (label bct.standin=true) rather than upstream's. */
export async function standInsAmong(engine: Engine, refs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const ref of refs) {
    const details = await engine.images.inspect(ref);
    if (details?.labels["bct.standin"] === "true") found.push(ref);
  }
  return found;
}

/** The refusal an upstream run gives when stand-ins are in the image store, naming each. */
export function standInRefusal(standIns: readonly string[]): string {
  return [
    `BCT_IMAGES=upstream, but ${standIns.length} course image(s) on this engine are stand-ins, not upstream's:`,
    ...standIns.map((ref) => `  ${ref}`),
    "Remove them (docker image rm ...) so that the real images are pulled, or run without BCT_IMAGES=upstream.",
  ].join("\n");
}
