import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Engine, isEmptyReport } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadExamples } from "../src/loader.ts";
import { printScript } from "../src/print-script.ts";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
const RUN_IN_ROOT = resolve(import.meta.dirname, "run-in-root.ts");

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine("interrupt");
});

/**
 * Starts `pnpm example <name>` (node with its own type stripping, as the root script runs it), signals it once `marker` has been
 * printed (on stdout, or with a RegExp, on stderr where the build output goes).
 */
function interruptAt(
  name: string,
  marker: string | RegExp,
  signal: NodeJS.Signals,
  sessionId: string,
  script: string[] = [MAIN],
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...script, name], {
      env: { ...engine.cliEnvironment(), BCT_SESSION_ID: sessionId, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const signalOnce = () => {
      if (sent) return;
      sent = true;
      child.kill(signal);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (typeof marker === "string" && stdout.includes(marker)) signalOnce();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (marker instanceof RegExp && marker.test(stderr)) signalOnce();
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describeWithEngine("Ctrl-C", () => {
  it.each([
    ["SIGINT", "[2/4]"],
    ["SIGTERM", "[3/4]"],
  ] as const)(
    "%s during a step stops, removes what the run created, and exits 130",
    async (signal, marker) => {
      const sessionId = `interrupt-${randomBytes(4).toString("hex")}`;
      const run = await interruptAt("cmd", marker, signal, sessionId);
      expect(run.stderr).toContain(`${signal}: stopping cmd and removing what it created`);
      expect(run.code).toBe(130);
      expect(run.stdout).not.toContain("Summary");
      // The run ends with one line that says it was interrupted, where, and what its cleanup removed; the
      // interrupted step prints no ✓.
      const last = run.stderr.trimEnd().split("\n").at(-1);
      expect(last).toMatch(
        /^\[ WARN \] Interrupted cmd at step [23]\/4; (removed .+|nothing was left to remove)\.$/,
      );
      const step = Number(/at step (\d)\//.exec(last!)![1]);
      const interrupted = run.stdout.slice(run.stdout.indexOf(`[${step}/4]`));
      expect(interrupted).not.toMatch(/^✓ /m);
      const left = await engine.listLabelled(sessionId);
      expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
    },
  );
});

/** `docker buildx build` processes whose build context is `context`. */
function buildxProcessesFor(context: string): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      } catch {
        return "";
      }
    })
    .filter((command) => command.includes("buildx build") && command.includes(context));
}

describeWithEngine("Ctrl-C during a build", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "bct-interrupt-build-"));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s stops the docker buildx process, tags nothing, leaves nothing labelled and exits 130",
    async (signal) => {
      const sessionId = `interrupt-build-${randomBytes(4).toString("hex")}`;
      const dir = join(root, "examples", `slow-build-${signal.toLowerCase()}`);
      mkdirSync(dir, { recursive: true });
      // The session id in the RUN keeps BuildKit's cache from answering for it: the step really runs.
      writeFileSync(
        join(dir, "Dockerfile"),
        `FROM alpine:3.24\nRUN echo "building ${sessionId}" && sleep 120\n`,
      );
      writeFileSync(
        join(dir, "example.yaml"),
        [
          "title: A build that takes its time",
          "section: building-images",
          "order: 1",
          "description: A RUN that sleeps, to be interrupted.",
          "steps:",
          "  - kind: build",
          "    title: Build slowly",
          `    tag: bct-test/slow-build-${signal.toLowerCase()}:1`,
          "",
        ].join("\n"),
      );
      const started = Date.now();
      const run = await interruptAt(
        `slow-build-${signal.toLowerCase()}`,
        /#\d+ \d+\.\d+ building interrupt-build-/,
        signal,
        sessionId,
        [RUN_IN_ROOT, root],
      );
      expect(run.stderr).toContain(
        `${signal}: stopping slow-build-${signal.toLowerCase()} and removing what it created`,
      );
      expect(run.code).toBe(130);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(buildxProcessesFor(dir)).toEqual([]);
      expect(await engine.images.exists(`bct-test/slow-build-${signal.toLowerCase()}:1`)).toBe(false);
      const left = await engine.listLabelled(sessionId);
      expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
    },
  );
});

describeWithEngine("Ctrl-C during a Compose example", () => {
  // The markers: compose up in flight (its containers being made), then the project up and serving.
  it.each([
    ["while docker compose up is creating the containers", /Container greeter-(web|proxy)-1 {2}Creat/],
    ["between steps, with the project up", "[4/10]"],
  ] as const)(
    "SIGINT %s removes every container, network, volume and image of the project and exits 130",
    async (_, marker) => {
      const sessionId = `interrupt-compose-${randomBytes(4).toString("hex")}`;
      const run = await interruptAt("compose", marker, "SIGINT", sessionId);
      expect(run.stderr).toContain("SIGINT: stopping compose and removing what it created");
      expect(run.code).toBe(130);
      expect(run.stdout).not.toContain("Summary");
      const left = await engine.compose.resources("greeter");
      expect(left, JSON.stringify(left)).toEqual({ containers: [], networks: [], volumes: [], images: [] });
      expect(await engine.listLabelled(sessionId)).toSatisfy(isEmptyReport);
    },
    300_000,
  );
});

describeWithEngine("Ctrl-C during the --print script of the Compose example", () => {
  it("SIGINT to its process group (as Ctrl-C sends it) leaves nothing of the project and exits 130", async () => {
    const examples = await loadExamples(resolve(import.meta.dirname, "../../.."));
    const compose = examples.find((example) => example.name === "compose")!;
    const run = await new Promise<{ code: number | null; stdout: string }>((resolvePromise, reject) => {
      const child = spawn("bash", ["-s"], {
        env: {
          ...engine.cliEnvironment(),
          BCT_PRINT_SESSION: `interrupt-script-${randomBytes(4).toString("hex")}`,
        },
        stdio: ["pipe", "pipe", "ignore"],
        detached: true,
      });
      let stdout = "";
      let sent = false;
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!sent && stdout.includes("[4/10]")) {
          sent = true;
          process.kill(-child.pid!, "SIGINT");
        }
      });
      child.on("error", reject);
      child.on("close", (code) => resolvePromise({ code, stdout }));
      child.stdin.end(printScript(compose));
    });
    expect(run.stdout).toContain("[4/10]");
    expect(run.stdout).not.toContain("every expectation met");
    expect(run.code).toBe(130);
    expect(await engine.compose.resources("greeter")).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  }, 300_000);
});
