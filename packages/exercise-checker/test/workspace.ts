import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_EXERCISE_DIR, loadExercise } from "../src/exercise-file.ts";
import { decodeSolution } from "../src/solution.ts";

export const APP_FILES = ["main.go", "go.mod", "Makefile"];
const FIXTURES = join(import.meta.dirname, "fixtures");
export const exercise = loadExercise(DEFAULT_EXERCISE_DIR);

/** A temporary attendee folder: the exercise's app plus the given Dockerfile (the reference when omitted). */
export function attemptFolder(dockerfile = decodeSolution(exercise, DEFAULT_EXERCISE_DIR)): {
  dir: string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "bct-attempt-"));
  for (const file of APP_FILES) copyFileSync(join(DEFAULT_EXERCISE_DIR, file), join(dir, file));
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A broken solution from test/fixtures/<name>/Dockerfile, next to an unchanged copy of the exercise's app. */
export function fixtureFolder(name: string): ReturnType<typeof attemptFolder> {
  return attemptFolder(readFileSync(join(FIXTURES, name, "Dockerfile"), "utf8"));
}
