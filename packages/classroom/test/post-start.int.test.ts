import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  buildxStatus,
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

    const first = postStart(env);
    expect(first.output).not.toContain("PROBLEM");
    expect(first.status).toBe(0);
    const registryAfterFirst = await registryContainerId(env);
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
    // Whatever answered before the second run (the one from before, or the one the first run started) is left alone.
    expect(await registryContainerId(env)).toBe(registryAfterFirst);
    expect(registryAfterFirst).not.toBe("");

    expect(missingBinfmtEntries()).toEqual([]);
    expect(await registryAnswers()).toBe(true);
    expect(unbuildablePlatforms(await buildxStatus(env))).toEqual([]);

    // binfmt really runs foreign binaries in containers.
    for (const [platform, machine] of [
      ["linux/arm64", "aarch64"],
      ["linux/arm/v7", "armv7l"],
    ] as const) {
      const run = await engine.containers.run({
        image: "alpine:3.24",
        platform,
        command: ["uname", "-m"],
      });
      expect(run.stdout.trim()).toBe(machine);
    }
    await engine.cleanup();
    expect(await engine.listLabelled(engine.session.id)).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithEngine(".devcontainer/post-start.sh and the course registry", () => {
  it("starts a registry when none answers, restarts it when stopped, then leaves it alone", async () => {
    const engine = await testEngine("post-start-registry");
    const address = `127.0.0.1:${await freePort()}`;
    const name = `bct-test-registry-${engine.session.id}`;
    const env = { ...engine.cliEnvironment(), BCT_REGISTRY_ADDR: address, BCT_REGISTRY_NAME: name };
    try {
      const first = postStart(env);
      expect(first.output).toContain(`registry: started registry:3 on ${address} (container '${name}'`);
      expect(first.status).toBe(0);
      expect(await registryAnswers(address)).toBe(true);
      const restart = await runQuietly(
        "docker",
        ["inspect", "--format", "{{.HostConfig.RestartPolicy.Name}}", name],
        env,
      );
      expect(restart.stdout.trim()).toBe("unless-stopped");

      expect((await runQuietly("docker", ["stop", name], env)).ok).toBe(true);
      expect(await registryAnswers(address)).toBe(false);
      const second = postStart(env);
      expect(second.output).toContain(`registry: started the existing course registry container '${name}'`);
      expect(second.status).toBe(0);
      expect(await registryAnswers(address)).toBe(true);

      const third = postStart(env);
      expect(third.output).toContain(`registry: something already answers on ${address}; left alone`);
      expect(third.status).toBe(0);
    } finally {
      await runQuietly("docker", ["rm", "-f", name], engine.cliEnvironment());
    }
  });

  it("leaves a container of that name that is not the course's alone, and says how to fix it", async () => {
    const engine = await testEngine("post-start-foreign");
    const name = `bct-test-foreign-${engine.session.id}`;
    await engine.containers.create({ image: "alpine:3.24", name, command: ["true"] });
    try {
      const env = {
        ...engine.cliEnvironment(),
        BCT_REGISTRY_ADDR: `127.0.0.1:${await freePort()}`,
        BCT_REGISTRY_NAME: name,
      };
      const result = postStart(env);
      expect(result.status).toBe(1);
      expect(result.output).toContain(
        `PROBLEM: registry: a container named '${name}' exists, is not the course's`,
      );
      expect(result.output).toContain(`Fix: start it (docker start ${name}) or remove it`);
      expect(await engine.containers.inspect(name)).toBeDefined();
    } finally {
      await engine.cleanup();
    }
  });
});
