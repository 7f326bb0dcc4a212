import { spawnSync } from "node:child_process";
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
