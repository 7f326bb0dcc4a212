import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { classRequest, readMembership, readProgress, recordRun, saveMembership } from "@bct/attendee";
import { Console } from "@bct/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grid } from "../src/class-state.ts";
import { classroomMain } from "../src/classroom.ts";
import { type RunningClass, startClass, tempDir } from "./class-harness.ts";

function quietConsole() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    console: new Console(
      { write: (text: string) => out.push(text) },
      { write: (text: string) => err.push(text) },
      { NO_COLOR: "1" },
    ),
    out,
    err,
  };
}

describe("recordRun: what every pnpm example and pnpm check-exercise does at its end", () => {
  const work = tempDir("bct-record-");
  let running: RunningClass;
  const env = { BCT_STATE_DIR: join(work.dir, "attendee") };

  beforeAll(async () => {
    running = await startClass(join(work.dir, "class.json"));
  });
  afterAll(async () => {
    await running.close();
    work.remove();
  });

  it("joins with the printed URL, then posts each run's outcome (ids, pass/fail, duration only)", async () => {
    const { console, out } = quietConsole();
    const code = await classroomMain(
      ["join", `${running.url}/join/${running.room.code}`, "--name", "Linus"],
      console,
      { env },
    );
    expect(code).toBe(0);
    expect(out.join("")).toContain(`Joined the class at ${running.url} as Linus.`);
    await recordRun([{ kind: "example", id: "volumes", ok: true, durationMs: 4200 }], { env });
    await recordRun(
      [
        { kind: "criterion", id: "dockerfile", ok: true, durationMs: 5 },
        { kind: "criterion", id: "builds", ok: false, durationMs: 3000 },
      ],
      { env },
    );
    const grid = (await classRequest(running.url, running.gridPath)).body as Grid;
    const row = grid.attendees.find((attendee) => attendee.name === "Linus")!;
    expect(Object.keys(row.cells).sort()).toEqual([
      "criterion:builds",
      "criterion:dockerfile",
      "example:volumes",
    ]);
    expect(row.cells["example:volumes"]).toMatchObject({ ok: true, durationMs: 4200 });
    expect(readMembership(env.BCT_STATE_DIR)?.outbox).toEqual([]);
    expect(readProgress(env.BCT_STATE_DIR).entries["example:volumes"]?.passes).toBe(1);
  });

  it("raises and lowers the help flag; status --json prints the attendee's own row, or the grid with the key", async () => {
    const { console, out } = quietConsole();
    expect(await classroomMain(["help"], console, { env })).toBe(0);
    expect(await classroomMain(["status", "--json"], console, { env })).toBe(0);
    const own = JSON.parse(out.slice(1).join("")) as { row: { name: string; needsHelp: boolean } };
    expect(own.row).toMatchObject({ name: "Linus", needsHelp: true });
    const trainer = quietConsole();
    expect(
      await classroomMain(
        ["status", "--json", "--url", running.url, "--key", running.room.trainerKey],
        trainer.console,
        { env: {} },
      ),
    ).toBe(0);
    const grid = JSON.parse(trainer.out.join("")) as Grid;
    expect(grid.attendees.find((attendee) => attendee.name === "Linus")?.needsHelp).toBe(true);
    await expect(
      classroomMain(["status", "--url", running.url, "--key", "0".repeat(32)], quietConsole().console, {
        env: {},
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining("The grid is the trainer's") });
    await expect(
      classroomMain(["status", "--url", running.url], quietConsole().console, { env: {} }),
    ).rejects.toMatchObject({ message: "The whole grid is the trainer's: give --key KEY with --url." });
    expect(await classroomMain(["help", "--off"], quietConsole().console, { env })).toBe(0);
    const after = (await classRequest(running.url, running.gridPath)).body as Grid;
    expect(after.attendees.find((attendee) => attendee.name === "Linus")?.needsHelp).toBe(false);
  });

  it("a wrong join code is an error and saves no membership", async () => {
    const other = { BCT_STATE_DIR: join(work.dir, "other") };
    await expect(
      classroomMain(["join", `${running.url}/join/AAAAAA`, "--name", "Eve"], quietConsole().console, {
        env: other,
      }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "The class refused to join you: Wrong class code.",
    });
    expect(readMembership(other.BCT_STATE_DIR)).toBeUndefined();
    await expect(
      classroomMain(["join", "http://127.0.0.1:1/", "--name", "Eve"], quietConsole().console, { env: other }),
    ).rejects.toMatchObject({
      message: '"http://127.0.0.1:1/" is not a join URL (http://HOST:PORT/join/CODE).',
    });
  });

  it("never delays a run when the trainer is away: refused at once, results wait in the outbox, delivered later", async () => {
    const dir = join(work.dir, "away");
    const awayEnv = { BCT_STATE_DIR: dir };
    expect(
      await classroomMain(
        ["join", `${running.url}/join/${running.room.code}`, "--name", "Away"],
        quietConsole().console,
        { env: awayEnv },
      ),
    ).toBe(0);
    const membership = readMembership(dir)!;
    // The trainer's machine is gone: nothing listens on that port any more.
    saveMembership(dir, { ...membership, url: "http://127.0.0.1:9" });
    let clock = Date.now();
    const started = performance.now();
    await recordRun([{ kind: "example", id: "ports", ok: true, durationMs: 1 }], {
      env: awayEnv,
      now: () => clock,
    });
    await recordRun([{ kind: "example", id: "env", ok: true, durationMs: 1 }], {
      env: awayEnv,
      now: () => clock,
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(readMembership(dir)?.outbox.map((outcome) => outcome.id)).toEqual(["ports", "env"]);

    saveMembership(dir, { ...readMembership(dir)!, url: running.url });
    clock += 61_000;
    await recordRun([{ kind: "example", id: "cmd", ok: false, durationMs: 1 }], {
      env: awayEnv,
      now: () => clock,
    });
    expect(readMembership(dir)?.outbox).toEqual([]);
    const row = ((await classRequest(running.url, running.gridPath)).body as Grid).attendees.find(
      (a) => a.name === "Away",
    )!;
    expect(Object.keys(row.cells).sort()).toEqual(["example:cmd", "example:env", "example:ports"]);
  });

  it("sends the queue with the very next run once a restarted server answers again (no minute's wait)", async () => {
    const dir = join(work.dir, "restart");
    const restartEnv = { BCT_STATE_DIR: dir };
    await classroomMain(
      ["join", `${running.url}/join/${running.room.code}`, "--name", "Restarted"],
      quietConsole().console,
      { env: restartEnv },
    );
    const membership = readMembership(dir)!;
    // The server is down for a moment: the connection is refused.
    saveMembership(dir, { ...membership, url: "http://127.0.0.1:9" });
    await recordRun([{ kind: "example", id: "ports", ok: true, durationMs: 1 }], { env: restartEnv });
    expect(readMembership(dir)).toMatchObject({ awayUntil: 0, outbox: [{ id: "ports" }] });
    saveMembership(dir, { ...readMembership(dir)!, url: running.url });
    await recordRun([{ kind: "example", id: "env", ok: true, durationMs: 1 }], { env: restartEnv });
    expect(readMembership(dir)?.outbox).toEqual([]);
    const row = ((await classRequest(running.url, running.gridPath)).body as Grid).attendees.find(
      (a) => a.name === "Restarted",
    )!;
    expect(Object.keys(row.cells).sort()).toEqual(["example:env", "example:ports"]);
  });

  it("joining sends the results of the runs made before", async () => {
    const dir = join(work.dir, "earlier");
    const earlierEnv = { BCT_STATE_DIR: dir };
    await recordRun(
      [
        { kind: "example", id: "hello-world", ok: true, durationMs: 900 },
        { kind: "example", id: "ports", ok: false, durationMs: 100 },
      ],
      { env: earlierEnv },
    );
    await recordRun([{ kind: "example", id: "ports", ok: true, durationMs: 120 }], { env: earlierEnv });
    const { console, out } = quietConsole();
    await classroomMain(["join", `${running.url}/join/${running.room.code}`, "--name", "Early"], console, {
      env: earlierEnv,
    });
    expect(out.join("")).toContain("Sent your 2 earlier result(s) to the class.");
    const row = ((await classRequest(running.url, running.gridPath)).body as Grid).attendees.find(
      (a) => a.name === "Early",
    )!;
    expect(row.cells["example:hello-world"]).toMatchObject({ ok: true, durationMs: 900 });
    expect(row.cells["example:ports"]).toMatchObject({ ok: true, durationMs: 120 });
  });

  it("leave sends what is queued first, or says what it drops", async () => {
    const dir = join(work.dir, "leaving");
    const leavingEnv = { BCT_STATE_DIR: dir };
    await classroomMain(
      ["join", `${running.url}/join/${running.room.code}`, "--name", "Leaving"],
      quietConsole().console,
      {
        env: leavingEnv,
      },
    );
    const queued = [
      { kind: "example" as const, id: "volumes", ok: true, durationMs: 3 },
      { kind: "example" as const, id: "env", ok: false, durationMs: 4 },
    ];
    saveMembership(dir, { ...readMembership(dir)!, outbox: queued, awayUntil: Date.now() + 60_000 });
    const { console, out } = quietConsole();
    expect(await classroomMain(["leave"], console, { env: leavingEnv })).toBe(0);
    expect(out.join("")).toContain("Sent your 2 queued result(s) first.");
    const row = ((await classRequest(running.url, running.gridPath)).body as Grid).attendees.find(
      (a) => a.name === "Leaving",
    )!;
    expect(row.left).toBe(true);
    expect(Object.keys(row.cells).sort()).toEqual(["example:env", "example:volumes"]);

    await classroomMain(
      ["join", `${running.url}/join/${running.room.code}`, "--name", "Gone"],
      quietConsole().console,
      {
        env: leavingEnv,
      },
    );
    saveMembership(dir, { ...readMembership(dir)!, url: "http://127.0.0.1:9", outbox: queued });
    const away = quietConsole();
    expect(await classroomMain(["leave"], away.console, { env: leavingEnv })).toBe(0);
    expect(away.out.join("")).toContain(
      "2 queued result(s) could not be sent and are dropped (they stay in your own record: pnpm progress).",
    );
    expect(readMembership(dir)).toBeUndefined();
  });

  it("gives a server that accepts but never answers at most its budget", async () => {
    const sockets: import("node:net").Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const dir = join(work.dir, "silent");
    saveMembership(dir, {
      url: `http://127.0.0.1:${port}`,
      code: "X",
      name: "S",
      attendeeId: "s",
      token: "ab",
      joinedAt: "",
      outbox: [],
      awayUntil: 0,
    });
    const started = performance.now();
    await recordRun([{ kind: "example", id: "ports", ok: true, durationMs: 1 }], {
      env: { BCT_STATE_DIR: dir },
      budgetMs: 300,
    });
    const waited = performance.now() - started;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(800);
    expect(readMembership(dir)?.outbox).toHaveLength(1);
  });

  it("leave stops posting", async () => {
    const { console, out } = quietConsole();
    expect(await classroomMain(["leave"], console, { env })).toBe(0);
    expect(out.join("")).toContain(`Left the class at ${running.url}.`);
    expect(readMembership(env.BCT_STATE_DIR)).toBeUndefined();
    const before = (await classRequest(running.url, running.gridPath)).body as Grid;
    await recordRun([{ kind: "example", id: "bind-mounts", ok: true, durationMs: 1 }], { env });
    const after = (await classRequest(running.url, running.gridPath)).body as Grid;
    expect(after.attendees).toEqual(before.attendees);
    expect(after.attendees.find((attendee) => attendee.name === "Linus")?.left).toBe(true);
  });
});
