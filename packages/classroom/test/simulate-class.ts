import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classRequest } from "@bct/attendee";
import type { Grid } from "../src/class-state.ts";
import { ClassRoom } from "../src/class-state.ts";
import { findRepoRoot } from "../src/repo-root.ts";

export interface ClassLoadResult {
  attendees: number;
  postsSent: number;
  postsAccepted: number;
  /** Cells missing or with the wrong run count, in the live grid and in the file after the server stopped. */
  lost: string[];
  latenciesMs: number[];
  elapsedMs: number;
}

/** The real `pnpm classroom serve` in its own process, on loopback, at a free port. */
async function startServer(file: string): Promise<{ url: string; child: ChildProcess }> {
  const root = findRepoRoot();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "packages/classroom/src/classroom.ts"),
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--file",
      file,
      "--new",
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the class server did not start: ${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Class page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`the class server exited (${code}): ${output}`)));
  });
  return { url, child };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
export const p95 = (values: number[]) => percentile(values, 95);
export const p50 = (values: number[]) => percentile(values, 50);

/**
 * `attendees` simulated attendees on loopback, each joining and posting a full course (every example
 * once, then one check-exercise run per criterion, the last one passing all) at random moments within
 * `spreadMs`. Stops by itself at `deadlineMs`. Then it checks that every result is in the grid and, after
 * the server stopped, in its file.
 */
export async function simulateClass(options: {
  attendees: number;
  spreadMs: number;
  deadlineMs: number;
}): Promise<ClassLoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "bct-class-load-"));
  const file = join(dir, "class.json");
  const { url, child } = await startServer(file);
  const started = performance.now();
  const deadline = AbortSignal.timeout(options.deadlineMs);
  const latencies: number[] = [];
  let sent = 0;
  let accepted = 0;
  try {
    const code = ((await classRequest(url, "/api/grid")).body as Grid).code;
    const columns = ((await classRequest(url, "/api/grid")).body as Grid).columns;
    const examples = columns.filter((column) => column.kind === "example").map((column) => column.id);
    const criteria = columns.filter((column) => column.kind === "criterion").map((column) => column.id);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all(
      Array.from({ length: options.attendees }, async (_, index) => {
        const joined = await classRequest(url, "/api/join", {
          body: { code, name: `attendee-${index + 1}` },
        });
        const token = (joined.body as { token: string }).token;
        const posts = [
          ...examples.map((id) => [{ kind: "example", id, ok: true, durationMs: 1000 + index }]),
          ...criteria.map((_, run) =>
            criteria.map((id, position) => ({ kind: "criterion", id, ok: position <= run, durationMs: 50 })),
          ),
        ];
        const moments = posts.map(() => Math.random() * options.spreadMs).sort((a, b) => a - b);
        let at = 0;
        for (const [number, results] of posts.entries()) {
          if (deadline.aborted) return;
          await sleep(moments[number]! - at);
          at = moments[number]!;
          sent++;
          const before = performance.now();
          const answer = await classRequest(url, "/api/results", {
            token,
            body: { results },
            timeoutMs: 10_000,
          });
          latencies.push(performance.now() - before);
          if (answer.status === 200) accepted++;
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const live = (await classRequest(url, "/api/grid")).body as Grid;
    const expected = (grid: Grid) => {
      const lost: string[] = [];
      for (let index = 0; index < options.attendees; index++) {
        const row = grid.attendees.find((attendee) => attendee.name === `attendee-${index + 1}`);
        for (const column of columns) {
          const cell = row?.cells[column.key];
          const runs = column.kind === "example" ? 1 : criteria.length;
          if (!cell?.ok || cell.runs !== runs) lost.push(`attendee-${index + 1} ${column.key}`);
        }
      }
      return lost;
    };
    const lostLive = expected(live);
    await stop(child);
    const kept = ClassRoom.open(file, columns).grid();
    return {
      attendees: options.attendees,
      postsSent: sent,
      postsAccepted: accepted,
      lost: [...lostLive, ...expected(kept).map((item) => `${item} (file)`)],
      latenciesMs: latencies,
      elapsedMs,
    };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
