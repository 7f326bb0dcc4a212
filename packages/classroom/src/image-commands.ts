import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Console } from "@bct/cli";
import { type Engine, EXIT, formatBytes, KitError, PullProgressTracker } from "@bct/engine";
import { type CourseImage, courseImages } from "@bct/example-runner";
import { DEFAULT_TARBALL } from "./image-defaults.ts";
import { throttle } from "./throttle.ts";

/** The upstream images the course uses, derived from the examples and the exercise, sorted by reference. */
export async function listCourseImages(repoRoot: string): Promise<CourseImage[]> {
  const images = await courseImages(repoRoot);
  return [...images].sort((a, b) => a.ref.localeCompare(b.ref));
}

export function printImageList(images: CourseImage[], console: Console, json: boolean): void {
  if (json) {
    console.print(JSON.stringify(images, null, 2));
    return;
  }
  const width = Math.max(...images.map((image) => image.ref.length), 5);
  for (const image of images) console.print(`${image.ref.padEnd(width)}  ${image.usedBy.join(", ")}`);
}

export interface PullOutcome {
  ref: string;
  result: "present" | "pulled" | "failed";
  error?: string;
}

/** Pulls each course image that is missing (or all with "always"), with per-layer progress on stderr. */
export async function pullCourseImages(
  engine: Engine,
  images: CourseImage[],
  console: Console,
  policy: "missing" | "always" = "missing",
): Promise<PullOutcome[]> {
  const outcomes: PullOutcome[] = [];
  for (const [index, image] of images.entries()) {
    const tracker = new PullProgressTracker();
    const position = `[${index + 1}/${images.length}]`;
    const progress = throttle((line) => console.progress(line));
    try {
      const result = await engine.images.pull(image.ref, {
        policy,
        onProgress: (event) => {
          tracker.update(event);
          progress(`${position} ${image.ref}: ${tracker.summary()}`);
        },
      });
      console.endProgress();
      console.info(`${position} ${image.ref}: ${result === "present" ? "already here" : "pulled"}`);
      outcomes.push({ ref: image.ref, result });
    } catch (error) {
      console.endProgress();
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${position} ${message}`);
      outcomes.push({ ref: image.ref, result: "failed", error: message });
    }
  }
  return outcomes;
}

export function pullExitCode(outcomes: PullOutcome[]): number {
  return outcomes.some((outcome) => outcome.result === "failed") ? EXIT.failure : EXIT.ok;
}

/** The course images that are not on the engine. */
export async function missingImages(engine: Engine, images: CourseImage[]): Promise<string[]> {
  const present = await Promise.all(images.map((image) => engine.images.exists(image.ref)));
  return images.filter((_, index) => !present[index]).map((image) => image.ref);
}

/**
 * Saves images into one tarball. It is written next to the target and renamed at the end,
 * so a failure never leaves a truncated archive under the real name.
 */
export async function saveImages(
  engine: Engine,
  refs: string[],
  file: string,
  console: Console,
): Promise<number> {
  const missing = (
    await Promise.all(refs.map(async (ref) => ((await engine.images.exists(ref)) ? undefined : ref)))
  ).filter((ref): ref is string => ref !== undefined);
  if (missing.length > 0) {
    throw new KitError("IMAGE_MISSING", `Not on this engine, so not saved: ${missing.join(", ")}.`, {
      hint: "Pull them first: pnpm images pull",
    });
  }
  const partial = `${file}.partial`;
  let written = 0;
  const progress = throttle((line) => console.progress(line));
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      progress(`Saving ${refs.length} images to ${file}: ${formatBytes(written)}`);
      done(null, chunk);
    },
  });
  try {
    await pipeline(await engine.archives.save(refs), counter, createWriteStream(partial));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error instanceof KitError
      ? error
      : new KitError("ENGINE_ERROR", `Could not save the images to ${file}: ${(error as Error).message}`, {
          cause: error,
        });
  } finally {
    console.endProgress();
  }
  return written;
}

export async function loadImages(engine: Engine, file: string): Promise<string[]> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new KitError("INVALID_INPUT", `There is no file ${file}.`, {
      hint: `Name the tarball written by pnpm images save (default ${DEFAULT_TARBALL}).`,
    });
  }
  return engine.archives.load(createReadStream(file));
}
