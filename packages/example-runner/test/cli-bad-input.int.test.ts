import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { describeWithEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const MAIN = join(ROOT, "packages/example-runner/src/main.ts");

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  session: string;
}

/** `pnpm example <argv>` as a child process (node, as the root script runs it), with a known session id. */
function start(argv: string[], env: Record<string, string> = {}) {
  const session = `cli-bad-${randomBytes(4).toString("hex")}`;
  const child = spawn(process.execPath, [MAIN, ...argv], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", BCT_SESSION_ID: session, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<Finished>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr, session })),
  );
  return { done, stdout: () => stdout };
}

const run = (argv: string[], env: Record<string, string> = {}) => start(argv, env).done;

function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8" }).trim();
}

/** Every container, network, volume and image labelled with the run's session. */
function leftBehind(session: string): string[] {
  const filter = `label=bct.session=${session}`;
  return [
    ["ps", "-aq"],
    ["images", "-q"],
    ["network", "ls", "-q"],
    ["volume", "ls", "-q"],
  ].flatMap((argv) =>
    docker(...argv, "--filter", filter)
      .split("\n")
      .filter(Boolean),
  );
}

describeWithEngine("pnpm example as a child process, on bad input", () => {
  it.each([
    [["prots"], "There is no example named 'prots'. Did you mean 'ports'?"],
    [["ports", "cmd"], "One example at a time (got ports, cmd)."],
    [["--print"], "--print needs an example name."],
    [["ports", "--pull", "sometimes"], "Unknown pull policy 'sometimes'."],
    [["ports", "--colour"], "--colour"],
    [["clean", "ports"], "clean takes no name (got ports)."],
  ])("%j exits 2 with a clear error and starts nothing", async (argv, message) => {
    const result = await run(argv);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain("Unexpected failure");
    expect(leftBehind(result.session)).toEqual([]);
  });

  it("`pnpm example -- clean --help` is the clean command's help, not an unknown example", async () => {
    const result = await run(["--", "clean", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("pnpm example clean");
  });

  it("an engine that does not answer is named, with how to start Docker", async () => {
    const result = await run(["ports"], { DOCKER_HOST: "unix:///nonexistent.sock" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unix:///nonexistent.sock");
    expect(result.stderr).toMatch(/start/i);
  });

  describeWithEngine.each([
    ["ports", 1234, "publishes"],
    ["host-network", 80, "binds"],
  ])("%s with host port %i already taken", (example, port, verb) => {
    let server: Server;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "0.0.0.0", resolve);
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("names the process that holds it and starts nothing", async () => {
      const result = await run([example]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `Example ${example} ${verb} host port ${port}, which is already in use by process ${process.pid}`,
      );
      expect(result.stdout).not.toContain("$ docker");
      expect(server.listening).toBe(true);
      expect(leftBehind(result.session)).toEqual([]);
    });
  });

  it("a container of yours with the example's name is an error, and it is left alone", async () => {
    const id = docker("create", "--name", "nginx", "nginx:1.30-alpine", "true");
    try {
      const result = await run(["ports"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "but one already exists that this kit did not create; it is left untouched",
      );
      expect(docker("container", "inspect", "-f", "{{.Id}}", "nginx")).toBe(id);
      expect(leftBehind(result.session)).toEqual([]);
    } finally {
      docker("rm", "-f", id);
    }
  });

  it("a name held by another run of the kit says which run, and touches nothing", async () => {
    // What a first `pnpm example ports` in another terminal holds while it runs.
    const other = `other-run-${randomBytes(3).toString("hex")}`;
    const labels = ["bct.managed=true", `bct.session=${other}`, "bct.owner=example:ports"].flatMap(
      (label) => ["--label", label],
    );
    const id = docker("run", "-d", "--name", "nginx", ...labels, "nginx:1.30-alpine");
    try {
      const result = await run(["ports"]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `Example ports creates a container named 'nginx', which another run of the kit holds (example:ports, session ${other}); nothing of it was touched`,
      );
      expect(result.stderr).not.toContain("Conflict");
      expect(docker("container", "inspect", "-f", "{{.Id}} {{.State.Running}}", "nginx")).toBe(`${id} true`);
      expect(leftBehind(result.session)).toEqual([]);
    } finally {
      docker("rm", "-f", id);
    }
  });
});
