import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { connectEngine, isEmptyReport, registryAnswers } from "@bct/engine";
import { describeWithEngine, isCi } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { type LoadedExample, loadExamples } from "../src/loader.ts";
import { runExample } from "../src/run-example.ts";
import { capturedConsole } from "./capture.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const examples = await loadExamples(REPO_ROOT);
const named = (name: string): LoadedExample => examples.find((example) => example.name === name)!;

// multi-arch needs buildx, qemu and the registry: packages/classroom/test/multi-arch.int.test.ts runs it.
const COVERED_ELSEWHERE = new Set(["multi-arch"]);
// A cold Go or C++ build on a busy 2-core machine takes minutes.
const TIMEOUT_MS = 20 * 60_000;

const inCi = isCi();
const registryUp = await registryAnswers("127.0.0.1:5000");
if (!registryUp && !inCi)
  process.stderr.write("[ SKIP ] tag-push-pull: no registry on localhost:5000 (CI starts one)\n");

describeWithEngine("every example of the deck against the real engine", () => {
  for (const example of examples.filter((candidate) => !COVERED_ELSEWHERE.has(candidate.name))) {
    const needsRegistry = example.manifest.requires?.includes("local-registry") ?? false;
    it.skipIf(needsRegistry && !registryUp && !inCi)(
      `${example.name} meets every expectation and leaves nothing labelled with its session`,
      async () => {
        const engine = await connectEngine({ owner: `test:example:${example.name}` });
        const { console, stdout, stderr } = capturedConsole();
        const report = await runExample(example, {
          engine,
          console,
          out: console.stdout,
          pullPolicy: "missing",
          keep: false,
        });
        expect(report.error, stderr()).toBeUndefined();
        expect(
          report.steps.map((step) => [step.title, step.failures]),
          stdout(),
        ).toEqual(example.manifest.steps.map((step) => [step.title, []]));
        expect(report.ok).toBe(true);
        expect(report.exitCode).toBe(0);
        // Each step printed its command before running.
        for (const step of report.steps) expect(stdout()).toContain(`$ ${step.command.split("\n")[0]}`);
        const left = await engine.listLabelled(engine.session.id);
        expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
        // Build output goes to the run's work dir, never into the repository.
        expect(existsSync(join(example.dir, "out"))).toBe(false);
      },
      TIMEOUT_MS,
    );
  }

  it("fails with exit code 1, naming the unmet expectation, and still cleans up", async () => {
    const cmd = named("cmd");
    const changed: LoadedExample = structuredClone(cmd);
    const step = changed.manifest.steps[2];
    if (step?.kind !== "run") throw new Error("cmd's third step should be a run");
    step.expect = { stdout: { equals: "1970-01-02 00:00:00" } };
    const engine = await connectEngine({ owner: "test:example:unmet" });
    const { console } = capturedConsole();
    const report = await runExample(changed, {
      engine,
      console,
      out: console.stdout,
      pullPolicy: "missing",
      keep: false,
    });
    expect(report.ok).toBe(false);
    expect(report.exitCode).toBe(1);
    expect(report.steps.map((entry) => entry.ok)).toEqual([true, true, false]);
    expect(report.skipped).toBe(1);
    expect(report.steps[2]!.failures).toEqual([
      'stdout should be "1970-01-02 00:00:00", was "1970-01-01 00:00:00"',
    ]);
    expect(await engine.listLabelled(engine.session.id)).toSatisfy(isEmptyReport);
  });

  it("--keep leaves the run's resources, says how to remove them, and they carry the session label", async () => {
    const engine = await connectEngine({ owner: "test:example:keep" });
    const { console } = capturedConsole();
    const report = await runExample(named("my-hello-world"), {
      engine,
      console,
      out: console.stdout,
      pullPolicy: "missing",
      keep: true,
    });
    try {
      expect(report.ok).toBe(true);
      expect(report.leftBehind?.images).toContain("my-hello-world:latest");
    } finally {
      await engine.cleanup();
    }
    expect(await engine.listLabelled(engine.session.id)).toSatisfy(isEmptyReport);
  });
});
