import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithEngine } from "@bct/engine/testing";
import { describe, expect, it } from "vitest";
import { type CheckResult, runDoctorChecks } from "../src/doctor-checks.ts";
import { findRepoRoot } from "../src/repo-root.ts";

const root = findRepoRoot();

function doctor(args: string[], env: Record<string, string | undefined>) {
  const result = spawnSync(
    join(root, "node_modules/.bin/tsx"),
    [join(root, "packages/classroom/src/doctor.ts"), ...args],
    {
      cwd: root,
      // Tests reach nothing beyond loopback: a closed local port stands in for Docker Hub.
      env: { ...env, NO_COLOR: "1", BCT_DOCKER_HUB: "http://127.0.0.1:9" },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PORT_IDS = ["port-1234", "port-8080", "port-8090", "port-9090", "port-5000", "port-4100"];

describeWithEngine("pnpm run doctor with a working engine", () => {
  it("passes the engine, buildx, binfmt and registry checks, and its exit code follows the required checks", () => {
    const result = doctor(["--json"], process.env);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] };
    const byId = new Map(report.checks.map((check) => [check.id, check]));
    expect([...byId.keys()]).toEqual([
      "engine",
      "docker-cli",
      "buildx",
      "compose",
      "binfmt",
      ...PORT_IDS,
      "disk",
      "images",
      "docker-hub",
    ]);

    expect(byId.get("engine")).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/^Docker \d+\.\d+/),
    });
    expect(byId.get("docker-cli")).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/^Docker version /),
    });
    expect(byId.get("buildx")?.status).toBe("ok");
    expect(byId.get("compose")).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/^Compose 2\.\d+/),
    });
    expect(byId.get("buildx")?.detail).toContain("linux/amd64, linux/arm64, linux/arm/v7");
    expect(byId.get("binfmt")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("qemu-aarch64"),
    });
    expect(byId.get("port-5000")).toMatchObject({ status: "ok", detail: "in use by the course registry" });
    expect(byId.get("disk")?.detail).toMatch(/free on \//);
    // Offline or online, Docker Hub never fails the doctor; it counts the pulls this machine still needs.
    expect(byId.get("docker-hub")?.required).toBe(false);
    expect(byId.get("docker-hub")?.detail).toMatch(
      /^(every course image is here; no Docker Hub pull needed|\d+ Docker Hub pulls? still needed \(.+\); Docker Hub is not reachable \(connection refused: nothing listens there\))$/,
    );

    // Other sessions may hold an example port for a moment: the exit code must still follow the checks.
    const requiredFailed = report.checks.some((check) => check.required && check.status === "fail");
    expect(report.ok).toBe(!requiredFailed);
    expect(result.status).toBe(requiredFailed ? 1 : 0);
  });

  it("prints one line per check, each with ✓, ✗ or -, and the fix on the line of a failure", () => {
    const result = doctor([], process.env);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5 + PORT_IDS.length + 3);
    for (const line of lines) expect(line).toMatch(/^[✓✗-] [^:]+: /);
    for (const line of lines.filter((text) => text.startsWith("✗"))) expect(line).toContain(" → fix: ");
    expect(lines[0]).toMatch(/^✓ Docker Engine: Docker /);
  });
});

describeWithEngine("the registry check", () => {
  it("fails when nothing answers on the registry's port, even though the port is free", async () => {
    const free = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const results = await runDoctorChecks({
      env: process.env,
      loadCourseImages: async () => [],
      ports: [free],
      registryPort: free,
      hub: { authUrl: "http://127.0.0.1:9/token", registryUrl: "http://127.0.0.1:9/v2" },
    });
    expect(results.find((check) => check.id === `port-${free}`)).toMatchObject({
      status: "fail",
      required: true,
      detail: expect.stringContaining("the course registry should answer here"),
    });
  });
});

describe("pnpm run doctor with DOCKER_HOST pointing nowhere", () => {
  const env = { ...process.env, DOCKER_HOST: "unix:///nonexistent.sock" };

  it("fails the engine check, names the host tried and how to start Docker, and exits 1", () => {
    const result = doctor([], env);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^✗ Docker Engine: Cannot reach a Docker Engine\. Tried: unix:\/\/\/nonexistent\.sock/,
    );
    expect(lines[0]).toContain(" → fix: ");
    expect(lines).toContain("- buildx: needs a reachable engine");
    expect(lines).toContain("- course images: needs a reachable engine");
    // Checks of the host itself still run.
    expect(lines.some((line) => /^[✓✗] binfmt \(qemu\): /.test(line))).toBe(true);
    expect(lines.some((line) => /^[✓✗] port 4100: /.test(line))).toBe(true);
    expect(
      lines.some((line) => /^- Docker Hub pulls: needs a reachable engine to count the pulls/.test(line)),
    ).toBe(true);
  });

  it("says the same in JSON", () => {
    const result = doctor(["--json"], env);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: "engine", status: "fail", required: true });
    expect(report.checks[0]?.detail).toContain("unix:///nonexistent.sock");
  });
});

describe("pnpm run doctor without the docker CLI", () => {
  it("fails the docker CLI check and says how to install it with buildx", () => {
    // A PATH with what the tsx launcher needs, and no docker.
    const bin = mkdtempSync(join(tmpdir(), "bct-doctor-no-cli-"));
    try {
      for (const tool of ["node", "dirname", "sed", "uname"]) {
        const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
        symlinkSync(found, join(bin, tool));
      }
      const result = doctor(["--json"], { ...process.env, PATH: bin });
      const report = JSON.parse(result.stdout) as { checks: CheckResult[] };
      const cli = report.checks.find((check) => check.id === "docker-cli");
      expect(cli).toMatchObject({ status: "fail", required: true });
      expect(cli?.detail).toBe(
        "no docker command on PATH: the examples and the checker build with docker buildx build",
      );
      expect(cli?.fix).toMatch(/Debian\/Ubuntu: sudo apt-get install docker-cli docker-buildx/);
      expect(cli?.fix).toMatch(/Docker Desktop: /);
      expect(cli?.fix).toMatch(/Dev container: /);
      const compose = report.checks.find((check) => check.id === "compose");
      expect(compose).toMatchObject({ status: "fail", required: true });
      expect(compose?.detail).toMatch(/^not installed \(.+\): the compose example needs the Compose plugin$/);
      expect(compose?.fix).toMatch(
        /Debian 13\+: sudo apt-get install docker-compose .*Ubuntu 24\.04\+: docker-compose-v2/,
      );
      expect(compose?.fix).toContain("docker compose version");
      expect(result.status).toBe(1);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
