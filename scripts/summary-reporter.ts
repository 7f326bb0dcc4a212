import { appendFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Reporter, TestCase, TestModule, TestSuite } from "vitest/node";
import { ALLOWED_SKIPS } from "./allowed-skips.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** Why each failure that is not a failed test counts: a hook that threw, a file that did not load, a skip CI may not have. */
  problems: string[];
}

function fileOf(module: TestModule): string {
  return relative(ROOT, module.moduleId);
}

/** A test whose suite's (or file's) beforeAll threw never ran: that is a failure, not a skip. */
function hookFailedAround(test: TestCase): boolean {
  for (let parent: TestSuite | TestModule = test.parent; ; parent = parent.parent) {
    if (parent.errors().length > 0) return true;
    if (parent.type === "module") return false;
  }
}

function allowedSkip(file: string, test: TestCase): boolean {
  return ALLOWED_SKIPS.some((allowed) => allowed.file === file && allowed.test === test.fullName);
}

/** The counts of a run: hook failures and broken files are failures; under CI so is a skip not in ALLOWED_SKIPS. */
export function countRun(testModules: ReadonlyArray<TestModule>, inCi: boolean): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, problems: [] };
  for (const module of testModules) {
    const file = fileOf(module);
    const suites = [module, ...module.children.allSuites()];
    for (const suite of suites) {
      // A beforeAll that threw is counted in the tests it kept from running; an afterAll in itself.
      const keptFromRunning = [...suite.children.allTests()].some(
        (test) => test.result().state === "skipped",
      );
      for (const error of suite.errors()) {
        const where = suite.type === "module" ? file : `${file} > ${suite.fullName}`;
        counts.problems.push(`${where}: ${error.message.split("\n")[0]}`);
        if (!keptFromRunning) counts.failed++;
      }
    }
    for (const test of module.children.allTests()) {
      const result = test.result();
      if (result.state === "passed") counts.passed++;
      else if (result.state === "failed") counts.failed++;
      else if (hookFailedAround(test)) {
        counts.failed++;
        counts.problems.push(`${file} > ${test.fullName}: did not run, a hook around it failed`);
      } else if (inCi && !allowedSkip(file, test)) {
        counts.failed++;
        const note = result.state === "skipped" && result.note ? ` (${result.note})` : "";
        counts.problems.push(`${file} > ${test.fullName}: skipped under CI${note}`);
      } else counts.skipped++;
    }
  }
  return counts;
}

/**
 * Ends a package's run with its counts. Alone it prints the plain line "Tests: N passed, N failed,
 * N skipped" that any CI log reader understands; under `pnpm test` (BCT_TEST_TALLY set) it adds them to
 * the tally and prints them so that only scripts/test.ts's line for the whole run reads like a total.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = countRun(testModules, Boolean(process.env.CI));
    for (const problem of counts.problems) process.stdout.write(`✗ ${problem}\n`);
    const { passed, failed, skipped } = counts;
    const tally = process.env.BCT_TEST_TALLY;
    if (!tally) {
      process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
      if (failed > 0) process.exitCode = 1;
      return;
    }
    appendFileSync(tally, `${JSON.stringify({ passed, failed, skipped })}\n`);
    process.stdout.write(`\n[this package] ${passed} passed · ${failed} failed · ${skipped} skipped\n`);
    if (failed > 0) process.exitCode = 1;
  }
}
