import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { classRequest } from "@bct/attendee";
import { afterAll, describe, expect, it } from "vitest";
import type { Grid } from "../src/class-state.ts";
import { joinAs, post, repoRoot, tempDir } from "./class-harness.ts";

const classroomCli = join(repoRoot, "packages/classroom/src/classroom.ts");

/** `pnpm classroom serve` in its own process; resolves with what it printed once it listens, or when it exits. */
function serve(
  args: string[],
): Promise<{ child: ChildProcess; stdout: string; stderr: string; exitCode: number | null }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", classroomCli, "serve", "--host", "127.0.0.1", ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  return new Promise((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("--name YOUR-NAME")) resolve({ child, stdout, stderr, exitCode: null });
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (exitCode) => resolve({ child, stdout, stderr, exitCode }));
  });
}

const killed = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });

describe("pnpm classroom serve, the command", () => {
  const work = tempDir("bct-serve-cli-");
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) await killed(child, "SIGTERM");
    work.remove();
  });

  it("keeps the class across a crash (SIGKILL) of the server: same code, attendees and results", async () => {
    const file = join(work.dir, "class.json");
    const first = await serve(["--port", "0", "--file", file]);
    children.push(first.child);
    const url = /Class page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(first.stdout)![1]!;
    const code = /^Class code: ([A-Z0-9]{6})$/m.exec(first.stdout)![1]!;
    expect(first.stdout).toContain(`pnpm classroom join ${url}/join/${code} --name YOUR-NAME`);
    const token = await joinAs(url, code, "Ada");
    expect(
      (await post(url, token, [{ kind: "example", id: "ports", ok: true, durationMs: 10 }])).status,
    ).toBe(200);
    const before = (await classRequest(url, "/api/grid")).body as Grid;
    await killed(first.child, "SIGKILL");

    const second = await serve(["--port", "0", "--file", file]);
    children.push(second.child);
    expect(second.stdout).toContain(`Class code: ${code} (kept from ${file}: 1 attendee(s))`);
    const secondUrl = /Class page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(second.stdout)![1]!;
    const after = (await classRequest(secondUrl, "/api/grid")).body as Grid;
    expect(after.attendees).toEqual(before.attendees);
    expect(
      (await post(secondUrl, token, [{ kind: "example", id: "env", ok: true, durationMs: 10 }])).status,
    ).toBe(200);
    await killed(second.child, "SIGTERM");
  });

  it("names who holds a port in use, and a bad --port, and changes nothing", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const file = join(work.dir, "never.json");
      const refused = await serve(["--port", String(port), "--file", file]);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain(`[ ERROR ] Port ${port} is in use by process ${process.pid}`);
      expect(refused.stderr).toContain(`Stop it, or take another port: --port ${port + 1}`);
      const bad = await serve(["--port", "http", "--file", file]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain("--port http: a port is a number from 0 to 65535.");
      expect(existsSync(file)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
