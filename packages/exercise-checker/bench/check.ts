import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkExercise } from "../src/check.ts";
import { DEFAULT_EXERCISE_DIR, loadExercise } from "../src/exercise-file.ts";
import { decodeSolution } from "../src/solution.ts";

const TARGET_MS = 10_000;

/** A full check of the reference solution with a warm build cache, and where its time goes. */
export async function bench(): Promise<void> {
  const exercise = loadExercise(DEFAULT_EXERCISE_DIR);
  const dir = mkdtempSync(join(tmpdir(), "bct-bench-check-"));
  try {
    for (const file of ["main.go", "go.mod", "Makefile"])
      copyFileSync(join(DEFAULT_EXERCISE_DIR, file), join(dir, file));
    writeFileSync(join(dir, "Dockerfile"), decodeSolution(exercise, DEFAULT_EXERCISE_DIR));

    const warmStart = Date.now();
    await checkExercise({ exercise, dir });
    const warmup = Date.now() - warmStart;

    const started = Date.now();
    const report = await checkExercise({ exercise, dir });
    const total = Date.now() - started;
    const { build = 0, size = 0, probes = 0, attendee = 0 } = report.timings;
    const other = total - build - size - probes - attendee;
    const row = (label: string, ms: number) =>
      `  ${label.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${((ms / total) * 100).toFixed(0).padStart(3)} %`;
    console.log("exercise-checker: full check of the reference solution, warm build cache");
    console.log(
      `  warm-up check          ${(warmup / 1000).toFixed(2).padStart(6)} s  (fills the cache if it was cold)`,
    );
    console.log(row("build", build));
    console.log(row("size (inspect+history)", size));
    console.log(row("probes (run, 3 probes)", probes));
    console.log(row("attendee container", attendee));
    console.log(row("connect, cleanup, rest", other));
    console.log(
      `  total                  ${(total / 1000).toFixed(2).padStart(6)} s  target < ${TARGET_MS / 1000} s: ${total < TARGET_MS ? "met" : "MISSED"} (${(total / TARGET_MS).toFixed(2)}x of target); ${report.passed} of ${report.total} passed`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
