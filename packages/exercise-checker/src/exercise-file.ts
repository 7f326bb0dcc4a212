import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findRepoRoot } from "@bct/cli";
import { KitError } from "@bct/engine";
import { parse } from "yaml";
import { type Exercise, exerciseSchema, formatIssues } from "./schema.ts";

/** The repository's exercise folder, found from this file so the CLI works from any working directory. */
export const DEFAULT_EXERCISE_DIR = join(findRepoRoot(), "exercise", "webserver-volume-access");

/** Reads and validates exercise.yaml; a mistake is reported as `path: message` lines. */
export function loadExercise(exerciseDir: string): Exercise {
  const file = join(exerciseDir, "exercise.yaml");
  if (!existsSync(file)) {
    throw new KitError("INVALID_INPUT", `There is no exercise.yaml in ${exerciseDir}.`);
  }
  let data: unknown;
  try {
    data = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new KitError("INVALID_INPUT", `${file} is not valid YAML: ${(error as Error).message}`);
  }
  const result = exerciseSchema.safeParse(data);
  if (!result.success) {
    throw new KitError(
      "INVALID_INPUT",
      `${file} does not match the exercise schema:\n${formatIssues(result.error)}`,
      {
        hint: "The fields are described in packages/exercise-checker/src/schema.ts.",
      },
    );
  }
  return result.data;
}
