import { resolve } from "node:path";
import { connectEngine, isEmptyReport } from "@bct/engine";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { type LoadedExample, loadExamples } from "../src/loader.ts";
import { runExample } from "../src/run-example.ts";
import type { Step } from "../src/schema.ts";
import { capturedConsole, runMainCaptured } from "./capture.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const examples = await loadExamples(REPO_ROOT);
const named = (name: string): LoadedExample => examples.find((example) => example.name === name)!;

describeWithEngine("where you are", () => {
  it("--keep keeps the container of a docker run --rm step, and shows the command without --rm", async () => {
    const run = await runMainCaptured("keep", ["hello-world", "--keep"]);
    const engine = await connectEngine({ owner: "test:keep", sessionId: run.sessionId });
    try {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("$ docker run hello-world:latest\n");
      expect(run.stdout).not.toContain("$ docker run --rm");
      expect((await engine.listLabelled(run.sessionId)).containers).toHaveLength(1);
    } finally {
      await engine.cleanup();
    }
    expect(await engine.listLabelled(run.sessionId)).toSatisfy(isEmptyReport);
  });

  it("a step still running after 2 s says what it waits for and for how long", async () => {
    const example = structuredClone(named("hello-world"));
    example.manifest.steps = [
      { kind: "shell", title: "A slow step", script: "sleep 3", timeoutSeconds: 20 } as Step,
    ];
    const engine = await connectEngine({ owner: "test:waiting" });
    const { console, stderr } = capturedConsole();
    const report = await runExample(example, {
      engine,
      console,
      out: console.stdout,
      pullPolicy: "missing",
      keep: false,
    });
    expect(report.exitCode).toBe(0);
    expect(stderr()).toContain("[ INFO ] waiting for the commands to finish (up to 20 s)…");
  });

  it("--all numbers each example in its header", async () => {
    const example = structuredClone(named("hello-world"));
    const engine = await connectEngine({ owner: "test:numbered" });
    const { console, stdout } = capturedConsole();
    await runExample(example, {
      engine,
      console,
      out: console.stdout,
      pullPolicy: "missing",
      keep: false,
      position: { index: 3, total: 19 },
    });
    expect(stdout().split("\n")[0]).toBe(`▶ [3/19] hello-world: ${example.manifest.title}`);
  });
});
