import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classRequest } from "@bct/attendee";
import type { Grid, GridRow } from "../src/class-state.ts";
import { ClassRoom } from "../src/class-state.ts";
import { findRepoRoot } from "../src/repo-root.ts";

/** Views whose every event the simulator reads; the others only count bytes. */
const FOLLOWED_VIEWS = 10;

export interface ClassLoadResult {
  attendees: number;
  views: number;
  postsSent: number;
  postsAccepted: number;
  /** Cells missing or with the wrong run count, in the live grid and in the file after the server stopped. */
  lost: string[];
  latenciesMs: number[];
  /** A bystander's GET of the grid, once a second during the run. */
  gridLatenciesMs: number[];
  elapsedMs: number;
  /** Bytes each live view received during the run (the first grid included), the largest. */
  maxViewBytes: number;
  /** Of the views followed event by event, those that saw every attendee's last change. */
  viewsUpToDate: number;
  viewsFollowed: number;
  /** CPU seconds during the run: the server's, and this simulator's. */
  cpu: { server: number; simulator: number };
  /** Live views that broke or were refused. */
  viewsBroken: number;
  /** The server's resident memory: once every attendee joined, at the end of the run, 5 s later. */
  rss: { joined: number; end: number; settled: number };
}

/** The real `pnpm classroom serve` in its own process, on loopback, at a free port. */
async function startServer(
  file: string,
  views: number,
): Promise<{ url: string; key: string; child: ChildProcess; output: () => string }> {
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
      "--max-views",
      String(views + 10),
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const page = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the class server did not start: ${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Class page: (http:\/\/127\.0\.0\.1:\d+)\/\?key=([0-9a-f]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, key: match[2]! });
      }
    });
    child.once("exit", (code) => reject(new Error(`the class server exited (${code}): ${output}`)));
  });
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { ...page, child, output: () => output };
}

/** CPU seconds a process used (user and system), from /proc. */
const cpuOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

/**
 * A live view as the page opens it: counts what arrives and, when `follow`, reads every event for the
 * last `posts` seen per attendee (the simulator follows a few views only: it shares the CPU with the server).
 */
function openView(url: string, key: string, signal: AbortSignal, follow: boolean) {
  const view = { bytes: 0, lastPosts: new Map<string, number>(), open: false, error: "" };
  const done = (async () => {
    const response = await fetch(`${url}/api/events?key=${key}`, { signal });
    if (response.status !== 200) throw new Error(`a live view was refused: ${response.status}`);
    view.open = true;
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      view.bytes += chunk.length;
      if (!follow) continue;
      buffered += decoder.decode(chunk, { stream: true });
      let end = buffered.indexOf("\n\n");
      while (end !== -1) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (data) {
          const parsed = JSON.parse(data) as { attendees?: GridRow[]; rows?: GridRow[] };
          for (const row of parsed.attendees ?? parsed.rows ?? []) view.lastPosts.set(row.name, row.posts);
        }
        end = buffered.indexOf("\n\n");
      }
    }
  })().catch((error: Error) => {
    if (!signal.aborted) view.error = error.message;
    view.open = true;
  });
  return { view, done };
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
  /** Live views of the class page open during the run, the trainer's page among them. */
  views?: number;
}): Promise<ClassLoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "bct-class-load-"));
  const file = join(dir, "class.db");
  const viewCount = options.views ?? 0;
  const { url, key, child, output } = await startServer(file, viewCount);
  const gridPath = `/api/grid?key=${key}`;
  const latencies: number[] = [];
  const gridLatencies: number[] = [];
  const closeViews = new AbortController();
  let sent = 0;
  let accepted = 0;
  try {
    const first = (await classRequest(url, gridPath)).body as Grid;
    const { code, columns } = first;
    const examples = columns.filter((column) => column.kind === "example").map((column) => column.id);
    const criteria = columns.filter((column) => column.kind === "criterion").map((column) => column.id);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const tokens: string[] = [];
    for (let index = 0; index < options.attendees; index += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, options.attendees - index) }, async (_, offset) => {
          const joined = await classRequest(url, "/api/join", {
            body: { code, name: `attendee-${index + offset + 1}` },
          });
          if (joined.status !== 201) throw new Error(`join refused: ${JSON.stringify(joined.body)}`);
          tokens[index + offset] = (joined.body as { token: string }).token;
        }),
      );
    const page = await fetch(`${url}/?key=${key}`);
    if (page.status !== 200) throw new Error(`the trainer's page answered ${page.status}`);
    await page.text();
    const views = Array.from({ length: viewCount }, (_, index) =>
      openView(url, key, closeViews.signal, index < FOLLOWED_VIEWS),
    );
    while (views.some(({ view }) => !view.open)) await sleep(50);
    const rssJoined = rssOf(child.pid!);
    const cpuBefore = { server: cpuOf(child.pid!), simulator: process.cpuUsage() };
    const started = performance.now();
    const deadline = AbortSignal.timeout(options.deadlineMs);
    let posting = true;
    const bystander = (async () => {
      while (posting && !deadline.aborted) {
        const before = performance.now();
        await classRequest(url, gridPath, { timeoutMs: 30_000 });
        gridLatencies.push(performance.now() - before);
        await sleep(1000);
      }
    })().catch(() => undefined);
    await Promise.all(
      Array.from({ length: options.attendees }, async (_, index) => {
        const token = tokens[index]!;
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
    posting = false;
    await bystander;
    const rssEnd = rssOf(child.pid!);
    const simulatorCpu = process.cpuUsage(cpuBefore.simulator);
    const cpu = {
      server: cpuOf(child.pid!) - cpuBefore.server,
      simulator: (simulatorCpu.user + simulatorCpu.system) / 1e6,
    };
    const live = (await classRequest(url, gridPath)).body as Grid;
    // The last changes reach the views within a broadcast.
    await sleep(1500);
    const upToDate = views
      .slice(0, FOLLOWED_VIEWS)
      .filter(({ view }) => live.attendees.every((row) => view.lastPosts.get(row.name) === row.posts)).length;
    const maxViewBytes = Math.max(0, ...views.map(({ view }) => view.bytes));
    closeViews.abort();
    await Promise.all(views.map(({ done }) => done));
    await sleep(5000);
    const rssSettled = rssOf(child.pid!);
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
    const kept = ClassRoom.read(file, columns);
    return {
      attendees: options.attendees,
      views: viewCount,
      gridLatenciesMs: gridLatencies,
      maxViewBytes,
      viewsUpToDate: upToDate,
      viewsBroken: views.filter(({ view }) => view.error !== "").length,
      rss: { joined: rssJoined, end: rssEnd, settled: rssSettled },
      cpu,
      viewsFollowed: Math.min(FOLLOWED_VIEWS, viewCount),
      postsSent: sent,
      postsAccepted: accepted,
      lost: [...lostLive, ...expected(kept).map((item) => `${item} (file)`)],
      latenciesMs: latencies,
      elapsedMs,
    };
  } catch (error) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `the class server stopped (${child.exitCode ?? child.signalCode}): ${output().slice(-2000)}`,
      );
    throw error;
  } finally {
    closeViews.abort();
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
