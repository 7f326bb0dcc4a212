import { randomBytes } from "node:crypto";
import { type Engine, isEmptyReport, KitError } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { beforeAll, expect, it } from "vitest";
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

describeWithEngine("bad input changes nothing (in-process: the error objects)", () => {
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
  // The port, name and host-network cases run through the real command: cli-bad-input.int.test.ts.
});
