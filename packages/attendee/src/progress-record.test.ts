import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { addToProgress, progressFile, readProgress } from "./progress-record.ts";
import { stateDir } from "./state-dir.ts";

describe("the attendee's progress record", () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), "bct-progress-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("counts runs and passes and keeps the first pass", () => {
    const dir = temp();
    addToProgress(
      dir,
      [{ kind: "example", id: "ports", ok: false, durationMs: 10 }],
      new Date("2026-01-01T10:00:00Z"),
    );
    addToProgress(
      dir,
      [{ kind: "example", id: "ports", ok: true, durationMs: 20 }],
      new Date("2026-01-01T10:05:00Z"),
    );
    addToProgress(
      dir,
      [{ kind: "example", id: "ports", ok: false, durationMs: 30 }],
      new Date("2026-01-01T10:09:00Z"),
    );
    expect(readProgress(dir).entries["example:ports"]).toEqual({
      kind: "example",
      id: "ports",
      runs: 3,
      passes: 1,
      lastOk: false,
      lastRunAt: "2026-01-01T10:09:00.000Z",
      firstPassedAt: "2026-01-01T10:05:00.000Z",
      lastDurationMs: 30,
    });
  });

  it("reads a damaged file as an empty record", () => {
    const dir = temp();
    writeFileSync(progressFile(dir), "{ not json");
    expect(readProgress(dir)).toEqual({ version: 1, entries: {} });
  });

  it("lives in BCT_STATE_DIR, or nowhere under a test runner", () => {
    expect(stateDir({ BCT_STATE_DIR: "/x" })).toBe("/x");
    expect(stateDir({ VITEST: "true" })).toBeUndefined();
    expect(stateDir({})).toMatch(/\/\.bct$/);
  });
});
