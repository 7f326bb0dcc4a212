import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { connectEngine, isEmptyReport, registryAnswers } from "@bct/engine";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { capturedConsole } from "../test/capture.ts";
import { type LoadedExample, loadExamples } from "./loader.ts";
import { runExample } from "./run-example.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const examples = await loadExamples(REPO_ROOT);
const named = (name: string): LoadedExample => {
  const example = examples.find((candidate) => candidate.name === name);
  if (!example) throw new Error(`examples/${name}/example.yaml is missing`);
  return example;
};

/** The deck's examples beyond the five reference ones, with how long each may take on a busy CI machine. */
const CONTENT: Array<[name: string, timeoutMinutes: number]> = [
  ["start-stop", 3],
  ["env", 3],
  ["bind-mounts", 3],
  ["bridge-network", 3],
  ["host-network", 3],
  ["volumes", 3],
  ["my-html-server", 20],
  ["multi-staged-build", 15],
  ["build-container", 15],
  ["tag-push-pull", 5],
  ["security", 5],
];

const inCi = process.env.CI === "true" || process.env.CI === "1";
const registryUp = await registryAnswers("127.0.0.1:5000");
if (!registryUp && !inCi)
  process.stderr.write("[ SKIP ] tag-push-pull: no registry on localhost:5000 (CI starts one)\n");

describeWithEngine("the course examples against the real engine", () => {
  for (const [name, timeoutMinutes] of CONTENT) {
    const skip = name === "tag-push-pull" && !registryUp && !inCi;
    it.skipIf(skip)(
      `${name} meets every expectation and leaves nothing labelled with its session`,
      async () => {
        const example = named(name);
        const engine = await connectEngine({ owner: `test:example:${name}` });
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
        expect(report.exitCode).toBe(0);
        const left = await engine.listLabelled(engine.session.id);
        expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
        // Build output goes to the run's work dir, never into the repository.
        expect(existsSync(join(example.dir, "out"))).toBe(false);
      },
      timeoutMinutes * 60_000,
    );
  }
});
