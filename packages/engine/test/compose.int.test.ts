import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { describeWithEngine, testEngine } from "../src/testing.ts";

const EMPTY = { containers: [], networks: [], volumes: [], images: [] };

/** A one-service project in a folder of its own: a sleeping alpine, a named volume, the default network. */
function projectDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "bct-compose-"));
  writeFileSync(
    join(dir, "compose.yaml"),
    [
      `name: ${name}`,
      "services:",
      "  sleeper:",
      "    image: alpine:3.24",
      '    command: ["sleep", "300"]',
      "    volumes: [data:/data]",
      "volumes:",
      "  data:",
      "",
    ].join("\n"),
  );
  return dir;
}

const up = { args: ["up", "-d", "--wait"], timeoutMs: 120_000 };

describeWithEngine("docker compose through the engine", () => {
  let observer: Engine;
  const dirs: string[] = [];
  beforeAll(async () => {
    observer = await testEngine("compose-observer");
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("runs a project, and the session's cleanup removes all that carries its label, volume included", async () => {
    const engine = await testEngine("compose-run");
    const project = `bct-test-compose-${engine.session.id}`;
    const dir = projectDir(project);
    dirs.push(dir);
    const outcome = await engine.compose.run({ dir, project, ...up });
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    const running = await observer.compose.resources(project);
    expect(running.containers).toEqual([`${project}-sleeper-1`]);
    expect(running.networks).toEqual([`${project}_default`]);
    expect(running.volumes).toEqual([`${project}_data`]);
    const report = await engine.cleanup();
    expect(report.containers).toContain(`${project}-sleeper-1`);
    expect(report.volumes).toContain(`${project}_data`);
    expect(await observer.compose.resources(project)).toEqual(EMPTY);
  });

  it("refuses a project that already exists, whoever made it, and touches none of it", async () => {
    const project = `bct-test-compose-foreign-${process.pid}`;
    const dir = projectDir(project);
    dirs.push(dir);
    // Made outside the kit, as an attendee would.
    execFileSync("docker", ["compose", "up", "-d", "--wait"], { cwd: dir, stdio: "ignore" });
    try {
      const engine = await testEngine("compose-clash");
      await expect(
        engine.compose.run({ dir, project, args: ["down", "-v"], timeoutMs: 60_000 }),
      ).rejects.toMatchObject({
        code: "NAME_CLASH",
        message: expect.stringContaining(`Compose project ${project} already exists`),
      });
      await expect(engine.compose.removeProject(project)).rejects.toMatchObject({ code: "NOT_MANAGED" });
      await engine.cleanup();
      const left = await observer.compose.resources(project);
      expect(left.containers).toEqual([`${project}-sleeper-1`]);
      expect(left.volumes).toEqual([`${project}_data`]);
    } finally {
      execFileSync("docker", ["compose", "down", "-v"], { cwd: dir, stdio: "ignore" });
    }
  });

  it("refuses a step whose project is not the compose file's name, before creating anything", async () => {
    const engine = await testEngine("compose-mismatch");
    const declared = `bct-test-compose-declared-${engine.session.id}`;
    const dir = projectDir(declared);
    dirs.push(dir);
    await expect(engine.compose.run({ dir, project: "another-name", ...up })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining(`names project ${declared}, but the step says another-name`),
    });
    expect(await observer.compose.resources(declared)).toEqual(EMPTY);
    expect(engine.compose.claimed()).toEqual([]);
  });

  it("ignores the caller's COMPOSE_PROJECT_NAME and COMPOSE_FILE", async () => {
    const engine = await testEngine("compose-env");
    const project = `bct-test-compose-env-${engine.session.id}`;
    const dir = projectDir(project);
    dirs.push(dir);
    const before = { ...process.env };
    process.env.COMPOSE_PROJECT_NAME = "somebody-else";
    process.env.COMPOSE_FILE = "/nonexistent/compose.yaml";
    try {
      const env = engine.compose.environment();
      expect(env.COMPOSE_PROJECT_NAME).toBeUndefined();
      expect(env.COMPOSE_FILE).toBeUndefined();
      expect(env.DOCKER_HOST).toBe(engine.endpoint.host);
    } finally {
      process.env = before;
    }
  });
});
