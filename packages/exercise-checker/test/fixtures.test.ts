import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXERCISE_DIR } from "../src/exercise-file.ts";
import { APP_FILES, FIXTURES } from "./workspace.ts";

describe("fixture folders", () => {
  it.each(readdirSync(FIXTURES))(
    "%s holds an unchanged copy of the app, so only its Dockerfile differs",
    (name) => {
      for (const file of APP_FILES) {
        expect(readFileSync(join(FIXTURES, name, file), "utf8"), `${name}/${file}`).toBe(
          readFileSync(join(DEFAULT_EXERCISE_DIR, file), "utf8"),
        );
      }
    },
  );
});
