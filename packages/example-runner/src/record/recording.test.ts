import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadExamples } from "../loader.ts";
import { Normaliser } from "./normalise.ts";
import { checkRecording, RECORDING_FILE, type Recording } from "./recording.ts";

const repoRoot = resolve(import.meta.dirname, "../../../..");
const examples = await loadExamples(repoRoot);
const scratch = mkdtempSync(join(tmpdir(), "bct-recording-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the recorded outputs the deck shows (CI re-check, no engine needed)", () => {
  it.each(examples.map((example) => [example.name, example] as const))(
    "%s: recorded after its last change, and every step's output meets the step's expectations",
    (_, example) => {
      expect(checkRecording(example)).toEqual([]);
    },
  );

  it("fails when an example changes without a new recording, or a recorded output misses an expectation", async () => {
    const copy = join(scratch, "repo");
    cpSync(join(repoRoot, "examples", "exec-logs"), join(copy, "examples", "exec-logs"), { recursive: true });
    const [example] = await loadExamples(copy);
    expect(checkRecording(example!)).toEqual([]);

    const file = join(example!.dir, RECORDING_FILE);
    const recording = JSON.parse(readFileSync(file, "utf8")) as Recording;
    recording.steps[1]!.stdout = "tick 1\n";
    writeFileSync(file, JSON.stringify(recording));
    expect(checkRecording(example!)).toEqual([
      'exec-logs step 2 (docker logs shows what it printed so far): stdout should contain "tick 2", was "tick 1"',
      'exec-logs step 2 (docker logs shows what it printed so far): stdout should contain "tick 3", was "tick 1"',
    ]);

    writeFileSync(
      join(example!.dir, "example.yaml"),
      `${readFileSync(join(example!.dir, "example.yaml"), "utf8")}\n`,
    );
    expect(checkRecording(example!)[0]).toBe(
      "examples/exec-logs changed after it was recorded: run pnpm example exec-logs --record (or pnpm example --all --record)",
    );
  });
});

describe("Normaliser", () => {
  it("replaces ids, the session, work dirs and clock times by values of the same shape, one fake per real id", () => {
    const id = "7f552c8212a6b0e1d2c3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5";
    const text = [
      id,
      `${id.slice(0, 12)}   nginx   Up 2 seconds`,
      "label bct.session=mx4h0dme-1dffc4 in /tmp/bct-volumes-a1B2c3/notes.txt",
      "Tue Dec  1 09:12:33 UTC 2026",
      "2026-12-01T09:12:33.123456Z",
      "/repo/examples/ports/index.html",
    ].join("\n");
    const first = new Normaliser({ sessionId: "mx4h0dme-1dffc4", repoRoot: "/repo" }).text(text);
    // One real value shows one fake everywhere (an image keeps its digest across examples), another value another.
    const elsewhere = new Normaliser({ sessionId: "other-session", repoRoot: "/repo" }).text(`${id}\n`);
    expect(elsewhere).toBe(`${first.split("\n")[0]}\n`);
    const other = new Normaliser({ sessionId: "mx4h0dme-1dffc4", repoRoot: "/repo" }).text(
      "0123456789abcdef".repeat(4),
    );
    expect(other).not.toBe(first.split("\n")[0]);
    const [long, row, labels, date, iso, path] = first.split("\n");
    expect(long).toMatch(/^[0-9a-f]{64}$/);
    expect(long).not.toBe(id);
    expect(row!.startsWith(long!.slice(0, 12))).toBe(true);
    expect(labels).toBe("label bct.session=session in /tmp/bct-volumes-XXXXXX/notes.txt");
    expect(date).toBe("Tue Dec  1 10:00:00 UTC 2026");
    expect(iso).toBe("2026-12-01T10:00:00.000000Z");
    expect(path).toBe("~/basic-containers-training/examples/ports/index.html");
  });
});
