import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { KitError } from "@bct/engine";
import type { Exercise } from "./schema.ts";

/** The reference Dockerfile, kept base64-encoded so it does not catch the eye while solving. */
export function decodeSolution(exercise: Exercise, exerciseDir: string): string {
  const encoded = readFileSync(join(exerciseDir, exercise.solution), "utf8");
  return Buffer.from(encoded.replace(/\s+/g, ""), "base64").toString("utf8");
}

export interface ConfirmIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the question goes (stderr, so stdout stays the Dockerfile alone). */
  output: NodeJS.WritableStream;
}

/** Asks before showing the solution; without a terminal to ask on, --yes is required. */
export async function confirmReveal(yes: boolean, io: ConfirmIo): Promise<boolean> {
  if (yes) return true;
  if (!io.input.isTTY) {
    throw new KitError(
      "INVALID_INPUT",
      "Not showing the solution: there is no terminal to confirm on (stdin is not a TTY).",
      { hint: "Add --yes to show it anyway: pnpm check-exercise --solution --yes" },
    );
  }
  const prompt = createInterface({ input: io.input, output: io.output });
  try {
    const answer = await prompt.question(
      "Show one possible solution? You learn more by trying first and asking the checker for hints. [y/N] ",
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
