import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildProgress } from "./build-progress.ts";

// Recorded from `docker buildx build --progress=rawjson` (buildx 0.29.1, Engine 28.5.2, docker driver).
const recorded = (name: string) =>
  readFileSync(join(import.meta.dirname, "../test/fixtures/rawjson", name), "utf8").split("\n");

function replay(name: string): { progress: BuildProgress; lines: string[] } {
  const lines: string[] = [];
  const progress = new BuildProgress((line) => lines.push(line));
  for (const line of recorded(name)) progress.feed(line);
  progress.finish();
  return { progress, lines };
}

describe("BuildProgress", () => {
  it("prints the steps as plain progress does: names, CACHED, output with its offset, DONE with the time", () => {
    const { lines, progress } = replay("cached-with-warning.jsonl");
    const text = lines.join("\n");
    expect(text).toMatch(/^#\d+ \[2\/3\] RUN echo cached-step\n#\d+ CACHED$/m);
    expect(text).toMatch(/^#(\d+) \[3\/3\] RUN printf "one\\ntwo\\n" && sleep 0.3 && printf "partial"$/m);
    expect(text).toMatch(/^#\d+ \d+\.\d{3} one\n#\d+ \d+\.\d{3} two\n#\d+ partial\n#\d+ DONE \d+\.\ds$/m);
    expect(text).toMatch(/^#\d+ transferring dockerfile: \d+B done$/m);
    expect(text).toMatch(
      /^#(\d+) \[1\/3\] FROM docker.io\/library\/alpine:3.22@sha256:[0-9a-f]{64}\n#\1 resolve .* done\n#\1 (DONE \d\.\ds|CACHED)$/m,
    );
    expect(progress.warnings).toEqual([
      "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)",
    ]);
    expect(lines.slice(-2)).toEqual(["1 warning found:", ` - ${progress.warnings[0]}`]);
    expect(progress.failedStep()).toBeUndefined();
    const numbers = progress.allSteps().map((step) => step.number);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));
  });

  it("says CACHED, not DONE, for a step BuildKit first resolves and then finds in its cache", () => {
    const lines: string[] = [];
    const progress = new BuildProgress((line) => lines.push(line));
    const vertex = (extra: object) =>
      progress.feed(
        JSON.stringify({ vertexes: [{ digest: "sha256:a", name: "[1/2] FROM alpine:3.22", ...extra }] }),
      );
    vertex({ started: "2026-12-01T09:00:18.229Z" });
    vertex({ started: "2026-12-01T09:00:18.229Z", completed: "2026-12-01T09:00:18.551Z" });
    vertex({ started: "2026-12-01T09:00:18.551Z", completed: "2026-12-01T09:00:18.552Z", cached: true });
    progress.finish();
    expect(lines).toEqual(["", "#1 [1/2] FROM alpine:3.22", "#1 CACHED"]);
  });

  it("keeps the failing step, its own output, the Dockerfile line and BuildKit's error", () => {
    const { progress, lines } = replay("run-fails.jsonl");
    const failed = progress.failedStep();
    expect(failed?.name).toBe("[3/3] RUN exit 3");
    expect(failed?.error).toBe('process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
    expect(progress.allSteps().find((step) => step.name.startsWith("[2/3]"))?.output).toEqual([
      "hello",
      "err",
    ]);
    expect(progress.failureLocation()).toEqual({ file: "Dockerfile", line: 3, text: "RUN exit 3" });
    expect(progress.builderError()).toBe(
      'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
    );
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ ERROR: process "\/bin\/sh -c exit 3"/));
  });
});
