import { execFileSync } from "node:child_process";
import { isEmptyReport } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { isCi } from "@bct/errors";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { capturedConsole } from "./capture.ts";

// `pnpm example clean` removes what ANY run of the kit labelled, so on a shared engine it would also remove other
// runs' live resources: it runs in CI (test files run one at a time there, on CI's own engine) or when asked for
// with BCT_TEST_SWEEP=1 on an engine nobody else uses.
const asked = process.env.BCT_TEST_SWEEP === "1" || isCi();
if (!asked)
  process.stderr.write(
    "[ SKIP ] pnpm example clean: set BCT_TEST_SWEEP=1 (or CI) on an engine of your own\n",
  );
const suite = asked ? describeWithEngine : describe.skip;

suite("pnpm example clean", () => {
  it("removes what the kit labelled and leaves an unlabelled container alone", async () => {
    const engine = await testEngine("clean");
    const docker = (...args: string[]) =>
      execFileSync("docker", args, { encoding: "utf8", env: engine.cliEnvironment() }).trim();
    await engine.containers.create({ image: "alpine:3.24", name: "bct-clean-labelled", command: ["true"] });
    await engine.volumes.create("bct-clean-labelled");
    const yours = docker("create", "--name", "bct-clean-yours", "alpine:3.24", "true");
    try {
      const { console, stdout } = capturedConsole();
      expect(await main(["clean"], console)).toBe(0);
      expect(stdout()).toContain("bct-clean-labelled");
      // The build cache is reported and kept: only --build-cache empties it.
      expect(stdout()).toMatch(
        /^Build cache: .* in \d+ entries .*kept for faster builds; empty it with pnpm example clean --build-cache\.$/m,
      );
      expect(await engine.listLabelled(engine.session.id)).toSatisfy(isEmptyReport);
      expect(docker("container", "inspect", "-f", "{{.Id}}", "bct-clean-yours")).toBe(yours);
    } finally {
      docker("rm", "-f", yours);
    }
  });
});
