import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { isHostPortFree } from "../src/host-ports.ts";
import { missingBinfmtEntries } from "../src/multiarch-support.ts";
import { describeWithEngine, isCi, testEngine } from "../src/testing.ts";
import { fetchText, waitForHttp } from "../src/wait.ts";

const ALPINE = "alpine:3.24";
const NGINX = "nginx:1.30-alpine";

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) if (await isHostPortFree(port)) return port;
  throw new Error(`no free port from ${from}`);
}

describeWithEngine("running containers through the engine", () => {
  let engine: Engine;
  let hostDir: string;
  beforeAll(async () => {
    engine = await testEngine("run");
    hostDir = mkdtempSync(join(tmpdir(), "bct-engine-run-"));
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it("passes environment variables and returns output and exit code", async () => {
    const result = await engine.containers.run({
      image: ALPINE,
      env: { FOO: "bar" },
      command: ["sh", "-c", 'echo "FOO=$FOO"; echo oops >&2; exit 4'],
    });
    expect(result.stdout).toBe("FOO=bar\n");
    expect(result.stderr).toBe("oops\n");
    expect(result.exitCode).toBe(4);
    expect(await engine.containers.inspect(result.id)).toBeUndefined();
  });

  it("delivers a short container's output exactly once, run after run", async () => {
    // Attaching with logs: true as well, two developers saw about one run in twenty print its output twice.
    const outputs: string[] = [];
    for (let run = 0; run < 15; run++) {
      outputs.push((await engine.containers.run({ image: ALPINE, command: ["echo", `run ${run}`] })).stdout);
    }
    expect(outputs).toEqual(outputs.map((_, run) => `run ${run}\n`));
  });

  it("publishes a container port on the host", async () => {
    const port = await freePort(18080);
    await engine.containers.start({
      image: NGINX,
      name: "bct-test-ports",
      ports: [{ host: port, container: 80 }],
    });
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 15_000, status: 200 });
    expect(answer.body).toContain("Welcome to nginx!");
    const state = await engine.containers.inspect("bct-test-ports");
    expect(state?.ports).toContainEqual(expect.objectContaining({ container: 80, host: port }));
    await engine.containers.stop("bct-test-ports", 2);
    expect((await engine.containers.inspect("bct-test-ports"))?.status).toBe("exited");
    await engine.containers.remove("bct-test-ports");
  });

  it("reads and writes host files through bind mounts, and a read-only mount refuses writes", async () => {
    const readable = join(hostDir, "hostname");
    const writable = join(hostDir, "writefile");
    writeFileSync(readable, "devbox\n");
    writeFileSync(writable, "foo\n");

    const read = await engine.containers.run({
      image: ALPINE,
      command: ["cat", "/hosts-hostname"],
      mounts: [{ type: "bind", source: readable, target: "/hosts-hostname", readOnly: true }],
    });
    expect(read.stdout).toBe("devbox\n");

    const write = await engine.containers.run({
      image: ALPINE,
      command: ["sh", "-c", "echo bar > /writefile"],
      mounts: [{ type: "bind", source: writable, target: "/writefile" }],
    });
    expect(write.exitCode).toBe(0);
    expect(readFileSync(writable, "utf8")).toBe("bar\n");

    const refused = await engine.containers.run({
      image: ALPINE,
      command: ["sh", "-c", "echo foo > /hosts-hostname"],
      mounts: [{ type: "bind", source: readable, target: "/hosts-hostname", readOnly: true }],
    });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/Read-only file system/);
    expect(readFileSync(readable, "utf8")).toBe("devbox\n");
  });

  it("shares a named volume between two containers", async () => {
    const volume = `bct-test-volume-${engine.session.id}`;
    const created = await engine.volumes.create(volume);
    expect(created.driver).toBe("local");
    expect(created.labels["bct.session"]).toBe(engine.session.id);
    const mount = [{ type: "volume" as const, source: volume, target: "/data" }];
    await engine.containers.run({
      image: ALPINE,
      command: ["sh", "-c", "echo data1 > /data/file"],
      mounts: mount,
    });
    const read = await engine.containers.run({
      image: ALPINE,
      command: ["cat", "/data/file"],
      mounts: mount,
    });
    expect(read.stdout).toBe("data1\n");
    await engine.volumes.remove(volume);
    expect(await engine.volumes.inspect(volume)).toBeUndefined();
  });

  it("resolves container names on a user-defined network", async () => {
    const network = `bct-test-net-${engine.session.id}`;
    await engine.networks.create(network);
    await engine.containers.start({ image: NGINX, name: `bct-test-web-${engine.session.id}`, network });
    const fetched = await engine.containers.run({
      image: ALPINE,
      network,
      command: [
        "sh",
        "-c",
        `for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://bct-test-web-${engine.session.id}/ && exit 0; sleep 0.5; done; exit 1`,
      ],
    });
    expect(fetched.exitCode).toBe(0);
    expect(fetched.stdout).toContain("Welcome to nginx!");
  });

  it("runs on the host network, binding the host's port directly", async () => {
    const port = await freePort(18280);
    await engine.containers.start({
      image: ALPINE,
      name: `bct-test-hostnet-${engine.session.id}`,
      network: "host",
      command: [
        "sh",
        "-c",
        // Alpine's busybox has nc but no httpd (that is busybox-extras): answer each connection with nc.
        `while true; do printf 'HTTP/1.0 200 OK\\r\\nContent-Length: 12\\r\\n\\r\\non-the-host\\n' | nc -l -p ${port}; done`,
      ],
    });
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000, status: 200 });
    expect(answer.body).toBe("on-the-host\n");
  });

  it("runs as another user with a read-only root filesystem, no capabilities and limits", async () => {
    const result = await engine.containers.run({
      image: ALPINE,
      user: "10001:10001",
      readOnlyRootfs: true,
      capDrop: ["ALL"],
      noNewPrivileges: true,
      limits: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pids: 32 },
      command: ["sh", "-c", "id -u; touch /forbidden || echo refused"],
    });
    expect(result.stdout).toBe("10001\nrefused\n");
    expect(result.stderr).toMatch(/Read-only file system/);
  });

  // Needs qemu's binfmt entries and the image's arm variants: CI has both (stand-ins are multi-platform).
  const qemuMissing = missingBinfmtEntries();
  const inCi = isCi();
  if (qemuMissing.length > 0 && !inCi) {
    process.stderr.write(`[ SKIP ] other platforms: no binfmt entry for ${qemuMissing.join(", ")}\n`);
  }
  it.skipIf(qemuMissing.length > 0 && !inCi)(
    "runs another platform's variant of an image under qemu",
    async () => {
      const arm64 = await engine.containers.run({
        image: ALPINE,
        platform: "linux/arm64",
        command: ["uname", "-m"],
      });
      expect(arm64.stdout).toBe("aarch64\n");
      const armv7 = await engine.containers.run({
        image: ALPINE,
        platform: "linux/arm/v7",
        command: ["uname", "-m"],
      });
      expect(armv7.stdout).toBe("armv7l\n");
    },
  );

  it("execs in a running container and reads its logs", async () => {
    const name = `bct-test-exec-${engine.session.id}`;
    await engine.containers.start({ image: ALPINE, name, command: ["sh", "-c", "echo started; sleep 30"] });
    const exec = await engine.containers.exec(name, ["sh", "-c", "echo $((6 * 7))"]);
    expect(exec).toEqual({ exitCode: 0, stdout: "42\n", stderr: "" });
    const logs = await engine.containers.logs(name);
    expect(logs.stdout).toBe("started\n");
    await engine.containers.kill(name);
    expect(await engine.containers.wait(name)).toBe(137);
  });

  it("fetches plain HTTP answers", async () => {
    const port = await freePort(18380);
    await engine.containers.start({
      image: NGINX,
      name: `bct-test-fetch-${engine.session.id}`,
      ports: [{ host: port, container: 80 }],
    });
    await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 15_000 });
    const missing = await fetchText(`http://127.0.0.1:${port}/no-such-page`);
    expect(missing.status).toBe(404);
  });
});
