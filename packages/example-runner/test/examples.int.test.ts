import { resolve } from "node:path";
import { palette } from "@bct/cli";
import { connectEngine, isEmptyReport } from "@bct/engine";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { type LoadedExample, loadExamples } from "../src/loader.ts";
import { runExample } from "../src/run-example.ts";
import { renderSummary } from "../src/summary.ts";
import { capturedConsole } from "./capture.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const examples = await loadExamples(REPO_ROOT);
const named = (name: string): LoadedExample => examples.find((example) => example.name === name)!;

describeWithEngine("the runner on changed examples", () => {
  // Every example as it is: parity.int.test.ts runs each one through the runner and its --print script.
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

  it("--keep after a compose up keeps the project, lists it, and says how to take it down", async () => {
    const compose: LoadedExample = structuredClone(named("compose"));
    compose.manifest.steps = compose.manifest.steps.slice(0, 3);
    const engine = await connectEngine({ owner: "test:example:keep-compose" });
    const { console } = capturedConsole();
    const report = await runExample(compose, {
      engine,
      console,
      out: console.stdout,
      pullPolicy: "missing",
      keep: true,
    });
    try {
      expect(report.ok, JSON.stringify(report.steps)).toBe(true);
      expect(report.keptProjects).toEqual(["greeter"]);
      expect(report.leftBehind?.containers.sort()).toEqual(["greeter-proxy-1", "greeter-web-1"]);
      expect(report.leftBehind?.volumes).toEqual(["greeter_visits"]);
      expect(renderSummary(report, palette(false))).toContain(
        "Compose project greeter (not known to pnpm example clean): cd examples/compose && docker compose down -v --rmi local",
      );
    } finally {
      await engine.cleanup();
    }
    expect(await engine.compose.resources("greeter")).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  }, 600_000);
});
