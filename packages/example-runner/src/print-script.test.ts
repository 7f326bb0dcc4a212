import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type LoadedExample, loadExamples, parseManifest } from "./loader.ts";
import { printScript } from "./print-script.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");

function bash(args: string[], input?: string) {
  return spawnSync("bash", args, { encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
}

function shellOnlyExample(expectations: string): LoadedExample {
  const parsed = parseManifest(
    `title: Shell only\nsection: building-images\norder: 1\ndescription: d\nsteps:\n${expectations}`,
    "inline.yaml",
  );
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return { name: "shell-only", dir: mkdtempSync(join(tmpdir(), "bct-print-")), manifest: parsed.manifest };
}

describe("--print", () => {
  it("writes a bash script for every example that passes bash -n", async () => {
    const examples = await loadExamples(REPO_ROOT);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      const script = printScript(example);
      const file = join(mkdtempSync(join(tmpdir(), "bct-print-")), `${example.name}.sh`);
      writeFileSync(file, script);
      const result = bash(["-n", file]);
      expect(result.stderr, example.name).toBe("");
      expect(result.status, example.name).toBe(0);
      expect(script).toContain("set -euo pipefail");
      expect(script).toContain(`cd ${example.dir}`);
      expect(script).toContain("trap cleanup EXIT");
    }
  });

  it("prints the commands of the transcript, in order", async () => {
    const [example] = (await loadExamples(REPO_ROOT)).filter((item) => item.name === "cmd");
    const script = printScript(example!);
    const echoed = [...script.matchAll(/^echo '\$ (.*)'$/gm)].map((match) => match[1]);
    expect(echoed).toEqual([
      "docker build -t cmd .",
      "docker run --rm cmd",
      "docker run --rm cmd -u -d @0 '\\''+%Y-%m-%d %H:%M:%S'\\''",
      'docker run --rm cmd -u -d "@$((24 * 60 * 60))" +%A',
    ]);
  });

  it("passes when the expectations hold and fails, naming the check, when they do not", () => {
    const met = shellOnlyExample(
      [
        "  - kind: shell",
        "    title: Say hello",
        "    script: echo hello; echo warn >&2",
        "    expect:",
        "      stdout: { equals: hello, notContains: bye }",
        "      stderr: { contains: warn }",
        '      output: { matches: "^hello" }',
        "  - kind: write-file",
        "    title: Write",
        "    path: sub/a.txt",
        "    content: |",
        "      one",
        "  - kind: check-file",
        "    title: Read",
        "    path: sub/a.txt",
        "    expect: { content: { equals: one } }",
      ].join("\n"),
    );
    const passed = bash([], printScript(met));
    expect(passed.stderr).not.toContain("✗");
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain("✓ shell-only: every expectation met");

    const unmet = shellOnlyExample(
      [
        "  - kind: shell",
        "    title: Say hello",
        "    script: echo hello",
        "    expect: { stdout: { equals: bye } }",
      ].join("\n"),
    );
    const failed = bash([], printScript(unmet));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("✗ stdout should be 'bye', was 'hello'");
  });

  it("checks the exit code of a step, including an expected failure", () => {
    const expectedFailure = shellOnlyExample(
      [
        "  - kind: shell",
        "    title: Fail on purpose",
        "    script: exit 3",
        "    expect: { exitCode: 3 }",
      ].join("\n"),
    );
    expect(bash([], printScript(expectedFailure)).status).toBe(0);
    const unexpected = shellOnlyExample(
      ["  - kind: shell", "    title: Fails", "    script: exit 3"].join("\n"),
    );
    const result = bash([], printScript(unexpected));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("✗ exit code should be 0, was 3");
  });
});
