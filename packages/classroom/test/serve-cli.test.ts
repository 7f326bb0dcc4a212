import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
  const child = spawn(process.execPath, ["--import", "tsx", classroomCli, "serve", ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
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

/** The class page's address and the trainer's key, as serve printed them. */
function pageOf(stdout: string): { url: string; key: string } {
  const match = /Class page: (http:\/\/127\.0\.0\.1:\d+)\/\?key=([0-9a-f]{32})/.exec(stdout);
  if (!match) throw new Error(`no class page in: ${stdout}`);
  return { url: match[1]!, key: match[2]! };
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

  it("keeps the class across a crash (SIGKILL) of the server: same code, key, attendees and results", async () => {
    const file = join(work.dir, "class.db");
    const first = await serve(["--port", "0", "--file", file]);
    children.push(first.child);
    const { url, key } = pageOf(first.stdout);
    const code = /^Class code: ([A-Z0-9]{6})$/m.exec(first.stdout)![1]!;
    expect(first.stdout).toContain(`pnpm classroom join ${url}/join/${code} --name YOUR-NAME`);
    expect(first.stdout).toContain(
      "Only this machine can reach it: for the room, start it with --host 0.0.0.0.",
    );
    const token = await joinAs(url, code, "Ada");
    expect(
      (await post(url, token, [{ kind: "example", id: "ports", ok: true, durationMs: 10 }])).status,
    ).toBe(200);
    const before = (await classRequest(url, `/api/grid?key=${key}`)).body as Grid;
    await killed(first.child, "SIGKILL");

    const second = await serve(["--port", "0", "--file", file]);
    children.push(second.child);
    expect(second.stdout).toContain(`Class code: ${code} (kept from ${file}: 1 attendee(s))`);
    const again = pageOf(second.stdout);
    expect(again.key).toBe(key);
    const after = (await classRequest(again.url, `/api/grid?key=${key}`)).body as Grid;
    expect(after.attendees).toEqual(before.attendees);
    expect(
      (await post(again.url, token, [{ kind: "example", id: "env", ok: true, durationMs: 10 }])).status,
    ).toBe(200);

    const rival = await serve(["--port", "0", "--file", file]);
    expect(rival.exitCode).toBe(2);
    expect(rival.stderr).toContain(`Another class server (process ${second.child.pid}) is using ${file}.`);
    await killed(second.child, "SIGTERM");
    expect(second.child.exitCode).toBe(130);
    const rows = spawnSync("sqlite3", [file, "SELECT name, posts FROM attendees"], { encoding: "utf8" });
    expect(rows.stdout).toBe("Ada|2\n");
  });

  it("refuses to start on a damaged class file, keeps it as it was, and --new keeps it beside the new one", async () => {
    const source = join(work.dir, "source.db");
    const first = await serve(["--port", "0", "--file", source]);
    const { url } = pageOf(first.stdout);
    const code = /^Class code: ([A-Z0-9]{6})$/m.exec(first.stdout)![1]!;
    for (let index = 0; index < 60; index++) await joinAs(url, code, `attendee-${index}`);
    await killed(first.child, "SIGTERM");
    const file = join(work.dir, "truncated.db");
    const whole = readFileSync(source);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const damagedBytes = readFileSync(file);

    const refused = await serve(["--port", "0", "--file", file]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`${file} is not a class the kit can read (`);
    expect(refused.stderr).toContain("It was left as it is.");
    expect(refused.stderr).toContain("pnpm classroom serve --new");
    expect(readFileSync(file).equals(damagedBytes)).toBe(true);
    expect(readdirSync(work.dir).filter((name) => name.startsWith("truncated"))).toEqual(["truncated.db"]);

    const fresh = await serve(["--port", "0", "--file", file, "--new"]);
    children.push(fresh.child);
    expect(fresh.stdout).not.toContain(code);
    await killed(fresh.child, "SIGTERM");
    const aside = readdirSync(work.dir).filter((name) => /^truncated\.db\..*\.old$/.test(name));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(work.dir, aside[0]!)).equals(damagedBytes)).toBe(true);
  });

  it("stops when pnpm is sent SIGTERM, even though pnpm does not pass it on", async () => {
    const file = join(work.dir, "through-pnpm.db");
    const child = spawn("pnpm", ["classroom", "serve", "--port", "0", "--file", file], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /Class page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
        if (match && stdout.includes("--name YOUR-NAME")) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`pnpm classroom serve exited ${code}: ${stdout}`)));
    });
    expect((await fetch(`${url}/dashboard.css`)).status).toBe(200);
    await killed(child, "SIGTERM");
    await expect
      .poll(
        () =>
          fetch(`${url}/dashboard.css`).then(
            () => "answering",
            () => "stopped",
          ),
        { timeout: 10_000 },
      )
      .toBe("stopped");
    await expect.poll(() => existsSync(`${file}.lock`), { timeout: 5000 }).toBe(false);
  });

  it("names who holds a port in use, and a bad --port, and changes nothing", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const file = join(work.dir, "never.db");
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
