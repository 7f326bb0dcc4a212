import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchAndCheck } from "./watch.ts";

describe("watchAndCheck", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(["events", "poll"] as const)(
    "checks once, then again when a watched file is created or changed, ignoring others (%s)",
    async (mode) => {
      dir = mkdtempSync(join(tmpdir(), "bct-watch-unit-"));
      const reasons: string[] = [];
      const stop = new AbortController();
      let checked: () => void = () => {};
      const watching = watchAndCheck({
        dir,
        files: ["Dockerfile", "main.go"],
        mode,
        pollIntervalMs: 50,
        debounceMs: 50,
        signal: stop.signal,
        check: async (reason) => {
          reasons.push(reason);
          checked();
        },
      });
      const nextCheck = () => new Promise<void>((resolve) => (checked = resolve));

      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(reasons).toEqual(["first check"]);
      writeFileSync(join(dir, "notes.txt"), "not watched");
      let next = nextCheck();
      writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
      await next;
      next = nextCheck();
      writeFileSync(join(dir, "main.go"), "package main\n");
      await next;
      stop.abort();
      await watching;
      expect(reasons).toEqual(["first check", "Dockerfile changed", "main.go changed"]);
    },
  );
});
