import { randomBytes } from "node:crypto";
import { isEmptyReport } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { main } from "../src/main.ts";
import { capturedConsole } from "./capture.ts";

describeWithEngine("pnpm example <name> --json", () => {
  it("keeps stdout for the JSON report and the run's output on stderr", async () => {
    const sessionId = `cli-json-${randomBytes(4).toString("hex")}`;
    const { console, stdout, stderr } = capturedConsole();
    const code = await main(["hello-world", "--json"], console, {
      env: { ...process.env, BCT_SESSION_ID: sessionId },
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as { ok: boolean; sessionId: string; steps: Array<{ ok: boolean }> };
    expect(report).toMatchObject({ ok: true, sessionId });
    expect(report.steps.map((step) => step.ok)).toEqual([true, true]);
    expect(stderr()).toContain("$ docker run --rm hello-world:latest");
    expect(stderr()).toContain("Hello from Docker!");
    const engine = await testEngine("cli-json");
    expect(await engine.listLabelled(sessionId)).toSatisfy(isEmptyReport);
  });
});
