import { appendFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends a package's run with its counts. Alone it prints the plain line "Tests: N passed, N failed,
 * N skipped" that any CI log reader understands; under `pnpm test` (BCT_TEST_TALLY set) it adds them to
 * the tally and prints them so that only scripts/test.ts's line for the whole run reads like a total.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    const tally = process.env.BCT_TEST_TALLY;
    if (!tally) {
      process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
      return;
    }
    // A file that failed to load has no tests: count it as a failure, or the total would hide it.
    const broken = testModules.filter(
      (module) => module.state() === "failed" && !module.children.size,
    ).length;
    appendFileSync(tally, `${JSON.stringify({ passed, failed: failed + broken, skipped })}\n`);
    process.stdout.write(
      `\n[this package] ${passed} passed · ${failed + broken} failed · ${skipped} skipped\n`,
    );
  }
}
