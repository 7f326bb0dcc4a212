import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { classRequest, readProgress } from "@bct/attendee";
import { describeWithEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Grid } from "../src/class-state.ts";
import { course, type RunningClass, repoRoot, startClass, tempDir } from "./class-harness.ts";

/** A CLI of the kit in its own process, without blocking this one (it serves the class). */
function cli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describeWithEngine("while joined, pnpm example and pnpm check-exercise post their results", () => {
  const work = tempDir("bct-run-posts-");
  const env = { BCT_STATE_DIR: join(work.dir, "state") };
  let running: RunningClass;

  beforeAll(async () => {
    running = await startClass(join(work.dir, "class.json"));
    const joined = await cli(
      "packages/classroom/src/classroom.ts",
      ["join", `${running.url}/join/${running.room.code}`, "--name", "Runner"],
      env,
    );
    expect(joined.stderr).toBe("");
    expect(joined.status).toBe(0);
  });
  afterAll(async () => {
    await running.close();
    work.remove();
  });

  const row = async () =>
    ((await classRequest(running.url, running.gridPath)).body as Grid).attendees.find(
      (a) => a.name === "Runner",
    )!;

  it("pnpm example hello-world posts the example id, pass and duration", async () => {
    const result = await cli("packages/example-runner/src/main.ts", ["hello-world"], env);
    expect(result.status).toBe(0);
    const cell = (await row()).cells["example:hello-world"];
    expect(cell).toMatchObject({ ok: true, runs: 1 });
    expect(cell!.durationMs).toBeGreaterThan(0);
  });

  it("pnpm check-exercise posts the criteria it checked (an empty folder fails the first)", async () => {
    const empty = join(work.dir, "empty-attempt");
    mkdirSync(empty);
    const result = await cli("packages/exercise-checker/src/main.ts", ["--dir", empty], env);
    expect(result.status).toBe(1);
    const cells = (await row()).cells;
    expect(cells["criterion:dockerfile"]).toMatchObject({ ok: false, runs: 1 });
    // Criteria skipped after the failure are not results.
    expect(Object.keys(cells).filter((key) => key.startsWith("criterion:"))).toEqual([
      "criterion:dockerfile",
    ]);
  });

  it("pnpm progress shows both runs and what comes next in deck order", async () => {
    const record = readProgress(env.BCT_STATE_DIR);
    expect(Object.keys(record.entries).sort()).toEqual(["criterion:dockerfile", "example:hello-world"]);
    const result = await cli("packages/classroom/src/progress.ts", ["--json"], env);
    expect(result.status).toBe(0);
    const progress = JSON.parse(result.stdout) as {
      passed: number;
      total: number;
      next: { command: string };
      items: { id: string; title: string; status: string }[];
    };
    expect(progress.total).toBe(course.length);
    expect(progress.passed).toBe(1);
    expect(progress.items[0]).toMatchObject({ id: "hello-world", status: "passed" });
    expect(progress.items.find((item) => item.id === "dockerfile")?.status).toBe("failed");
    expect(progress.next.command).toBe(`pnpm example ${progress.items[1]!.id}`);
    const text = await cli("packages/classroom/src/progress.ts", [], env);
    const title = (id: string) => progress.items.find((item) => item.id === id)!.title;
    expect(text.stdout).toContain(`  ✓ hello-world: ${title("hello-world")} (1 run)`);
    // A criterion by the title the checker shows, not its id.
    expect(text.stdout).toContain(`  ✗ ${title("dockerfile")} (1 run)`);
    expect(text.stdout).not.toContain(" dockerfile ");
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe(
      `1/${course.length} done. Next: pnpm example ${progress.items[1]!.id}`,
    );
  });
});
