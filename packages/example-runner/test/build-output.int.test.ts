import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseDockerfile } from "@bct/dockerfile";
import { type Engine, isEmptyReport } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runMainCaptured } from "./capture.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../../examples");

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine("build-output");
});

const runMain = (argv: string[], env?: Record<string, string | undefined>) =>
  runMainCaptured("build-output", argv, env);

describeWithEngine("what a build step shows", () => {
  it("my-hello-world shows BuildKit's plain progress, and no step that is not in its Dockerfile", async () => {
    const run = await runMain(["my-hello-world"]);
    expect(run.error).toBeUndefined();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("$ docker build -t my-hello-world .");
    const steps = [...run.stderr.matchAll(/^#\d+ \[(?!internal\])[^\]]+\] (.*)$/gm)].map(
      (match) => match[1]!,
    );
    expect(steps.length).toBeGreaterThan(0);
    const parsed = parseDockerfile(readFileSync(join(EXAMPLES, "my-hello-world", "Dockerfile"), "utf8"));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const written = parsed.dockerfile.instructions.map(
      (instruction) => `${instruction.keyword} ${instruction.args}`,
    );
    // BuildKit names the FROM step by the resolved reference: docker.io/library/alpine:3.24@sha256:…
    for (const step of steps) {
      const fromResolved = /^FROM docker\.io\/library\/([^@]+)@sha256:[0-9a-f]{64}$/.exec(step);
      expect(written).toContain(fromResolved ? `FROM ${fromResolved[1]}` : step);
    }
    expect(run.stderr).not.toMatch(/LABEL|Step \d+\/\d+/);
    expect(run.stderr).toMatch(/^#\d+ (CACHED|DONE \d+\.\ds)$/m);
    const left = await engine.listLabelled(run.sessionId);
    expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
  });
});

describeWithEngine("no docker CLI or no buildx plugin", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("without the docker CLI, stops before the first step, names it and says how to install it", async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), "bct-no-cli-"));
    dirs.push(emptyPath);
    const run = await runMain(["my-hello-world"], { ...process.env, PATH: emptyPath });
    expect(run.error).toBeUndefined();
    expect(run.code).toBe(2);
    const printed = `${run.stdout}\n${run.stderr}`;
    expect(printed).toContain("Cannot build images: the docker CLI (no `docker` command on PATH).");
    expect(printed).toMatch(/Debian\/Ubuntu: +sudo apt-get install docker-cli docker-buildx/);
    expect(printed).toMatch(/Docker Desktop: /);
    expect(printed).toMatch(/Dev container: /);
    expect(run.stdout).not.toContain("[1/3]");
  });

  it("with a docker CLI that has no buildx plugin, names the plugin before the first step", async () => {
    // The docker CLI without the plugin answers `docker buildx` like this (docker 28.5: `docker foo`).
    const realDocker = execFileSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).trim();
    const bin = mkdtempSync(join(tmpdir(), "bct-no-buildx-"));
    dirs.push(bin);
    writeFileSync(
      join(bin, "docker"),
      `#!/bin/sh\nif [ "$1" = buildx ]; then echo "docker: unknown command: docker buildx" >&2; exit 1; fi\nexec ${realDocker} "$@"\n`,
    );
    chmodSync(join(bin, "docker"), 0o755);
    const run = await runMain(["my-hello-world"], { ...process.env, PATH: `${bin}:${process.env.PATH}` });
    expect(run.code).toBe(2);
    expect(`${run.stdout}\n${run.stderr}`).toContain(
      "Cannot build images: the docker buildx plugin (`docker buildx version` fails).",
    );
    expect(run.stdout).not.toContain("[1/3]");
  });
});
