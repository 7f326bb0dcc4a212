import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { type Engine, isEmptyReport } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { beforeAll, expect, it } from "vitest";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine("interrupt");
});

/** Starts `pnpm example <name>` (node with its own type stripping, as the root script runs it), signals it once a step has printed. */
function interruptAt(name: string, marker: string, signal: NodeJS.Signals, sessionId: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, name], {
      env: { ...engine.cliEnvironment(), BCT_SESSION_ID: sessionId, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && stdout.includes(marker)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
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
      const left = await engine.listLabelled(sessionId);
      expect(left, JSON.stringify(left)).toSatisfy(isEmptyReport);
    },
  );
});
