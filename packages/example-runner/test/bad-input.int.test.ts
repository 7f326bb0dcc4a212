import { type Engine, isEmptyReport, KitError } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { beforeAll, expect, it } from "vitest";
import { runMainCaptured } from "./capture.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine("bad-input");
});

const runMain = (argv: string[], env?: Record<string, string | undefined>) =>
  runMainCaptured("bad-input", argv, env);

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
