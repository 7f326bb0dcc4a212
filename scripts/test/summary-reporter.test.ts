import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

// The closing counts of a real vitest run on fixture files: hooks that throw and skips CI may not have.
const fixtures = join(import.meta.dirname, "fixtures", "reporter");
const dir = mkdtempSync(join(tmpdir(), "bct-reporter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(fixture: string, env: Record<string, string | undefined>) {
  const tally = join(dir, `${fixture}-${Object.keys(env).join("-")}.jsonl`);
  const { CI: _ci, BCT_TEST_TALLY: _tally, ...rest } = process.env;
  const child = spawnSync(
    process.execPath,
    [join(fixtures, "..", "..", "..", "..", "node_modules", "vitest", "vitest.mjs"), "run"],
    {
      cwd: fixtures,
      encoding: "utf8",
      env: { ...rest, ...env, BCT_FIXTURE: fixture, BCT_TEST_TALLY: tally },
    },
  );
  return { ...child, tally: JSON.parse(readFileSync(tally, "utf8").trim()) };
}

it("counts a throwing beforeAll and a throwing afterAll as failures, and the run fails", () => {
  const result = run("hooks.fixture.ts", {});
  expect(result.tally).toEqual({ passed: 1, failed: 3, skipped: 0 });
  expect(result.stdout).toContain(
    "a beforeAll that throws > never runs: did not run, a hook around it failed",
  );
  expect(result.stdout).toContain("an afterAll that throws: cleanup broke");
  expect(result.status).not.toBe(0);
});

it("counts a skip as a failure under CI unless it is allowed, and as a skip outside CI", () => {
  expect(run("skips.fixture.ts", {}).tally).toEqual({ passed: 1, failed: 0, skipped: 1 });
  const inCi = run("skips.fixture.ts", { CI: "true" });
  expect(inCi.tally).toEqual({ passed: 1, failed: 1, skipped: 0 });
  expect(inCi.stdout).toContain("skips.fixture.ts > is skipped: skipped under CI");
});
