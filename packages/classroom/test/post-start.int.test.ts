import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  buildxStatus,
  MULTIARCH_PLATFORMS,
  missingBinfmtEntries,
  registryAnswers,
  runQuietly,
  unbuildablePlatforms,
} from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { findRepoRoot } from "../src/repo-root.ts";

const root = findRepoRoot();

function postStart(env: Record<string, string | undefined>) {
  const result = spawnSync("bash", [join(root, ".devcontainer/post-start.sh")], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function registryContainerId(env: Record<string, string | undefined>): Promise<string> {
  const listed = await runQuietly("docker", ["ps", "-aq", "--no-trunc", "--filter", "name=^registry$"], env);
  return listed.stdout.trim();
}

describeWithEngine(".devcontainer/post-start.sh", () => {
  it("runs twice; afterwards binfmt, the registry and the builder work, and a running registry is left alone", async () => {
    const engine = await testEngine("post-start");
    const env = engine.cliEnvironment();
    const registryBefore = await registryContainerId(env);
    const answeredBefore = await registryAnswers();

    const first = postStart(env);
    expect(first.output).not.toContain("PROBLEM");
    expect(first.status).toBe(0);
    const second = postStart(env);
    expect(second.output).not.toContain("PROBLEM");
    expect(second.status).toBe(0);

    // The second run finds everything done and changes nothing.
    expect(second.output).toContain("binfmt: qemu-aarch64 and qemu-arm already enabled");
    expect(second.output).toContain("registry: something already answers on 127.0.0.1:5000; left alone");
    expect(second.output).toMatch(
      /buildx: the current builder \(\S+\) builds linux\/amd64 linux\/arm64 linux\/arm\/v7; kept/,
    );
    expect(second.output).toMatch(/images: (Docker Hub is not reachable|.*pull)/);
    if (answeredBefore) expect(await registryContainerId(env)).toBe(registryBefore);

    expect(missingBinfmtEntries()).toEqual([]);
    expect(await registryAnswers()).toBe(true);
    expect(unbuildablePlatforms(await buildxStatus(env))).toEqual([]);

    // binfmt really runs foreign binaries in containers.
    for (const [platform, machine] of [
      ["linux/arm64", "aarch64"],
      ["linux/arm/v7", "armv7l"],
    ] as const) {
      const run = await engine.containers.run({
        image: "alpine:3.22",
        platform,
        command: ["uname", "-m"],
      });
      expect(run.stdout.trim()).toBe(machine);
    }
    expect(MULTIARCH_PLATFORMS).toHaveLength(3);
    await engine.cleanup();
    expect(await engine.listLabelled(engine.session.id)).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  });
});
