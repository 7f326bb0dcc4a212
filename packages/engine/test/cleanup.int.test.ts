import { execFileSync, spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectEngine, type Engine, isEmptyReport } from "../src/engine.ts";
import { KitError } from "../src/errors.ts";
import { describeWithEngine, testEngine } from "../src/testing.ts";

const here = dirname(fileURLToPath(import.meta.url));
const ALPINE = "alpine:3.24";

function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8" }).trim();
}

describeWithEngine("cleanup and ownership", () => {
  let observer: Engine;
  beforeAll(async () => {
    observer = await testEngine("cleanup-observer");
  });

  it("leaves no labelled resource after a successful session", async () => {
    const engine = await testEngine("cleanup-success");
    await engine.networks.create(`bct-test-ok-net-${engine.session.id}`);
    await engine.volumes.create(`bct-test-ok-vol-${engine.session.id}`);
    await engine.containers.start({
      image: ALPINE,
      name: `bct-test-ok-${engine.session.id}`,
      command: ["sleep", "60"],
    });
    const before = await observer.listLabelled(engine.session.id);
    expect(before.containers).toHaveLength(1);
    expect(before.networks).toHaveLength(1);
    expect(before.volumes).toHaveLength(1);
    const report = await engine.cleanup();
    expect(report.containers).toEqual([`bct-test-ok-${engine.session.id}`]);
    expect(isEmptyReport(await observer.listLabelled(engine.session.id))).toBe(true);
  });

  it("leaves no labelled resource when the work fails half way (cleanup in finally)", async () => {
    const engine = await testEngine("cleanup-failure");
    const work = async () => {
      try {
        await engine.volumes.create(`bct-test-fail-vol-${engine.session.id}`);
        await engine.containers.start({
          image: ALPINE,
          name: `bct-test-fail-${engine.session.id}`,
          command: ["sleep", "60"],
        });
        await engine.containers.run({ image: "bct-test/does-not-exist:1" });
      } finally {
        await engine.cleanup();
      }
    };
    await expect(work()).rejects.toMatchObject({ code: "IMAGE_MISSING" });
    expect(isEmptyReport(await observer.listLabelled(engine.session.id))).toBe(true);
  });

  it("cleans up and exits 130 when interrupted with SIGINT", async () => {
    const child = spawn(process.execPath, [join(here, "interrupted-session.ts")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const sessionId = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const match = /ready (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`child exited early with ${code}: ${stderr}`)));
    });
    expect((await observer.listLabelled(sessionId)).containers).toHaveLength(1);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.removeAllListeners("exit");
      child.on("exit", (code) => resolve(code));
      child.kill("SIGINT");
    });
    expect(exitCode).toBe(130);
    expect(isEmptyReport(await observer.listLabelled(sessionId))).toBe(true);
  });

  it("never removes an unlabelled container with a clashing name, and says so", async () => {
    const name = `bct-test-users-own-${Date.now()}`;
    const userContainer = docker("run", "-d", "--name", name, ALPINE, "sleep", "120");
    try {
      const engine = await testEngine("clash");
      const clash = await engine.containers
        .start({ image: ALPINE, name, command: ["true"] })
        .catch((error: unknown) => error);
      expect(clash).toBeInstanceOf(KitError);
      expect((clash as KitError).code).toBe("NAME_CLASH");
      expect((clash as KitError).message).toContain(`A container named '${name}' already exists`);
      expect((clash as KitError).hint).toContain(`docker rm -f ${name}`);
      await expect(engine.containers.stop(name)).rejects.toMatchObject({ code: "NOT_MANAGED" });
      await engine.cleanup();
      expect(docker("inspect", "-f", "{{.State.Running}}", name)).toBe("true");
      expect(docker("inspect", "-f", "{{.Id}}", name)).toBe(userContainer);
    } finally {
      docker("rm", "-f", name);
    }
  });

  it("never removes an unlabelled network or volume with a clashing name", async () => {
    const name = `bct-test-users-net-${Date.now()}`;
    docker("network", "create", name);
    docker("volume", "create", name);
    try {
      const engine = await testEngine("clash-net");
      await expect(engine.networks.create(name)).rejects.toMatchObject({ code: "NAME_CLASH" });
      await expect(engine.volumes.create(name)).rejects.toMatchObject({ code: "NAME_CLASH" });
      await expect(engine.networks.remove(name)).rejects.toMatchObject({ code: "NOT_MANAGED" });
      await expect(engine.volumes.remove(name)).rejects.toMatchObject({ code: "NOT_MANAGED" });
      expect(docker("network", "inspect", "-f", "{{.Name}}", name)).toBe(name);
      expect(docker("volume", "inspect", "-f", "{{.Name}}", name)).toBe(name);
    } finally {
      docker("network", "rm", name);
      docker("volume", "rm", name);
    }
  });

  it("names the process holding a host port before creating anything", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const engine = await testEngine("port-held");
      const failure = await engine.containers
        .start({
          image: ALPINE,
          name: `bct-test-port-${engine.session.id}`,
          ports: [{ host: port, container: 80 }],
        })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: "PORT_IN_USE" });
      expect((failure as KitError).message).toContain(
        `Host port ${port} is already in use by process ${process.pid}`,
      );
      expect(isEmptyReport(await observer.listLabelled(engine.session.id))).toBe(true);
    } finally {
      server.close();
    }
  });

  it("gives an actionable error when DOCKER_HOST points nowhere", async () => {
    const failure = await connectEngine({
      owner: "test:unreachable",
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      pingTimeoutMs: 2000,
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "ENGINE_UNREACHABLE", exitCode: 2 });
    expect((failure as KitError).message).toContain("unix:///nonexistent/docker.sock (DOCKER_HOST)");
    expect((failure as KitError).hint).toContain("Start Docker");
  });

  afterAll(async () => {
    await observer.cleanup();
  });
});
