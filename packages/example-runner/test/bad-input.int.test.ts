import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import { type Engine, isEmptyReport, KitError } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { capturedConsole } from "./capture.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine("bad-input");
});

/** Runs `pnpm example <argv>` in-process with a known session id; returns its exit code and what it printed. */
async function runMain(argv: string[], env: Record<string, string | undefined> = process.env) {
  const sessionId = `bad-input-${randomBytes(4).toString("hex")}`;
  const { console, stdout, stderr } = capturedConsole();
  let code: number | undefined;
  let error: unknown;
  try {
    code = await main(argv, console, { env: { ...env, BCT_SESSION_ID: sessionId } });
  } catch (caught) {
    error = caught;
  }
  return { code, error, stdout: stdout(), stderr: stderr(), sessionId };
}

async function nothingLabelled(sessionId: string): Promise<void> {
  const left = await engine.listLabelled(sessionId);
  expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
}

function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", env: engine.cliEnvironment() }).trim();
}

describeWithEngine("bad input changes nothing", () => {
  it("an unknown name suggests the closest one", async () => {
    const run = await runMain(["prots"]);
    expect(run.error).toBeInstanceOf(KitError);
    expect(run.error).toMatchObject({
      code: "INVALID_INPUT",
      exitCode: 2,
      message: "There is no example named 'prots'. Did you mean 'ports'?",
    });
    await nothingLabelled(run.sessionId);
  });

  it("an engine that does not answer is named, with how to start Docker", async () => {
    const run = await runMain(["ports"], { ...process.env, DOCKER_HOST: "unix:///nonexistent.sock" });
    expect(run.error).toMatchObject({ code: "ENGINE_UNREACHABLE", exitCode: 2 });
    const error = run.error as KitError;
    expect(error.message).toContain("unix:///nonexistent.sock");
    expect(error.hint).toMatch(/docker/i);
    expect(error.hint).toMatch(/start/i);
    await nothingLabelled(run.sessionId);
  });

  describeWithEngine("a host port already taken", () => {
    let server: Server;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(1234, "0.0.0.0", resolve);
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("is detected before the example starts, naming the process that holds it", async () => {
      const run = await runMain(["ports"]);
      expect(run.error).toBeUndefined();
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `Example ports publishes host port 1234, which is already in use by process ${process.pid}`,
      );
      expect(run.stdout).toContain("not started");
      expect(run.stdout).not.toContain("$ docker");
      expect(server.listening).toBe(true);
      await nothingLabelled(run.sessionId);
    });
  });

  describeWithEngine("a host port the host network would need", () => {
    let server: Server;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(80, "0.0.0.0", resolve);
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("is detected before host-network starts nginx on it", async () => {
      const run = await runMain(["host-network"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `Example host-network binds host port 80, which is already in use by process ${process.pid}`,
      );
      expect(run.stdout).not.toContain("$ docker");
      expect(server.listening).toBe(true);
      await nothingLabelled(run.sessionId);
    });
  });

  it("a container of yours with the example's name is an error, and it is left alone", async () => {
    const id = docker("create", "--name", "nginx", "nginx:1.30-alpine", "true");
    try {
      const run = await runMain(["ports"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        "Example ports creates a container named 'nginx', but one already exists that this kit did not create; it is left untouched",
      );
      expect(run.stderr).toContain("docker rm -f nginx");
      expect(docker("container", "inspect", "-f", "{{.Id}}", "nginx")).toBe(id);
      await nothingLabelled(run.sessionId);
    } finally {
      docker("rm", "-f", id);
    }
  });
});
