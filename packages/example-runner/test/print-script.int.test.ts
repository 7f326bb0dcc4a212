import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { connectEngine } from "@bct/engine";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { type LoadedExample, loadExamples } from "../src/loader.ts";
import { printScript } from "../src/print-script.ts";
import { toList } from "../src/text.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const examples = await loadExamples(REPO_ROOT);
const named = (name: string): LoadedExample => examples.find((example) => example.name === name)!;

/** What the manifest says a step prints on stdout: exact texts, excerpts, and one-line patterns. */
function statedOutputs(example: LoadedExample): Array<string | RegExp> {
  return example.manifest.steps.flatMap((step) => {
    const matcher =
      step.kind === "run" || step.kind === "exec" || step.kind === "shell"
        ? step.expect?.stdout
        : step.kind === "http"
          ? step.expect.body
          : undefined;
    if (!matcher) return [];
    return [
      ...(matcher.equals !== undefined ? [matcher.equals] : []),
      ...toList(matcher.contains),
      ...(matcher.matches !== undefined ? [new RegExp(matcher.matches)] : []),
    ];
  });
}

async function runScript(example: LoadedExample) {
  const engine = await connectEngine({ owner: "test:print" });
  return spawnSync("bash", ["-s"], {
    input: printScript(example),
    encoding: "utf8",
    env: engine.cliEnvironment(),
    timeout: 300_000,
  });
}

describeWithEngine("the --print script under bash", () => {
  it.each(["my-hello-world", "args", "cmd", "ports"])(
    "%s runs, meets the same expectations and prints the same outputs",
    async (name) => {
      const example = named(name);
      const result = await runScript(example);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).not.toContain("✗");
      expect(result.stdout).toContain(`✓ ${name}: every expectation met`);
      const stated = statedOutputs(example);
      expect(stated.length).toBeGreaterThan(0);
      for (const wanted of stated) {
        if (typeof wanted === "string") expect(result.stdout).toContain(wanted);
        else
          expect(
            result.stdout.split("\n").some((line) => wanted.test(line)),
            String(wanted),
          ).toBe(true);
      }
    },
  );

  it("fails when an expectation is not met, naming it", async () => {
    const changed: LoadedExample = structuredClone(named("cmd"));
    const step = changed.manifest.steps[2];
    if (step?.kind !== "run") throw new Error("cmd's third step should be a run");
    step.expect = { stdout: { equals: "1970-01-02 00:00:00" } };
    const result = await runScript(changed);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("✗ stdout should be '1970-01-02 00:00:00', was '1970-01-01 00:00:00'");
    expect(result.stdout).not.toContain("every expectation met");
  });
});
