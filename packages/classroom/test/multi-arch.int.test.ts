import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runQuietly } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { findRepoRoot } from "../src/repo-root.ts";

const root = findRepoRoot();
const IMAGE = "localhost:5000/my-hello-world:multi-arch";

interface Report {
  ok: boolean;
  exitCode: number;
  sessionId: string;
  steps: { title: string; ok: boolean; failures: string[] }[];
}

describeWithEngine("the multi-arch example, through the runner", () => {
  it("builds three platforms into one manifest list in the local registry, and each prints its machine", async () => {
    const engine = await testEngine("multi-arch");
    const env = engine.cliEnvironment({ ...process.env, NO_COLOR: "1" });
    const run = spawnSync(
      join(root, "node_modules/.bin/tsx"),
      [join(root, "packages/example-runner/src/main.ts"), "multi-arch", "--json"],
      { cwd: root, env, encoding: "utf8", timeout: 600_000 },
    );
    const report = JSON.parse(run.stdout) as Report;
    expect(report.steps.flatMap((step) => step.failures)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(run.status).toBe(0);
    expect(report.steps).toHaveLength(5);

    // What the attendee sees: the three uname outputs, in order.
    const machines = [...run.stderr.matchAll(/^hello world from (\S+)$/gm)].map((match) => match[1]);
    expect(machines).toEqual(["x86_64", "aarch64", "armv7l"]);

    // Checked independently of the manifest's expectations: the registry's index lists exactly the three.
    const raw = await runQuietly("docker", ["buildx", "imagetools", "inspect", "--raw", IMAGE], env);
    expect(raw.ok).toBe(true);
    const index = JSON.parse(raw.stdout) as {
      manifests: { platform: { os: string; architecture: string; variant?: string } }[];
    };
    const platforms = index.manifests.map(({ platform }) =>
      [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/"),
    );
    expect(platforms.sort()).toEqual(["linux/amd64", "linux/arm/v7", "linux/arm64"]);

    // The runner removed what the build and the runs created.
    expect(await engine.listLabelled(report.sessionId)).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  });
});

describeWithEngine("the multi-arch example on a machine without buildx", () => {
  it("stops before the first step and prints the exact fix", async () => {
    const engine = await testEngine("multi-arch-no-buildx");
    // A docker CLI without the buildx plugin: every other command goes to the real one.
    const realDocker = execFileSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).trim();
    const bin = mkdtempSync(join(tmpdir(), "bct-no-buildx-"));
    writeFileSync(
      join(bin, "docker"),
      `#!/bin/sh\nif [ "$1" = buildx ]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi\nexec ${realDocker} "$@"\n`,
    );
    chmodSync(join(bin, "docker"), 0o755);
    try {
      const env = engine.cliEnvironment({
        ...process.env,
        NO_COLOR: "1",
        PATH: `${bin}:${process.env.PATH}`,
      });
      const run = spawnSync(
        join(root, "node_modules/.bin/tsx"),
        [join(root, "packages/example-runner/src/main.ts"), "multi-arch"],
        { cwd: root, env, encoding: "utf8", timeout: 120_000 },
      );
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status).toBe(2);
      expect(output).toContain("nothing was built or started");
      expect(output).toContain("the docker buildx plugin is not installed");
      expect(output).toContain("Install the buildx plugin: sudo apt-get install docker-buildx");
      expect(output).not.toMatch(/\[1\/5\]/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
