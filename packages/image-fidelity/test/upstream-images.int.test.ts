import { spawnSync } from "node:child_process";
import type { Engine } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { imageMode } from "../src/mode.ts";
import { REPO_ROOT } from "../src/standins.ts";
import { courseImageRefs, standInRefusal, standInsAmong } from "../src/upstream.ts";

// With BCT_IMAGES=upstream the suite runs on the real images: every course image that is present must be
// upstream's (the others are pulled from their registries when a test needs them).
describeWithEngine("BCT_IMAGES=upstream refuses stand-ins", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine("upstream-images");
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it("knows every course image, the course registry's included", async () => {
    const refs = await courseImageRefs();
    expect(refs).toEqual(
      expect.arrayContaining(["alpine:3.24", "golang:1.27", "nginx:1.30-alpine", "registry:3"]),
    );
  });

  // With stand-ins present (CI's engine), `BCT_IMAGES=upstream pnpm test` must stop before any test and
  // name each one. The filter matches no package, so a refusal that failed to stop it still runs nothing.
  it.runIf(imageMode() === "standins")(
    "BCT_IMAGES=upstream pnpm test stops at once and names each stand-in",
    async () => {
      const standIns = await standInsAmong(engine, await courseImageRefs());
      expect(standIns).toEqual(expect.arrayContaining(["alpine:3.24", "registry:3"]));
      const child = spawnSync(process.execPath, ["scripts/test.ts", "--filter=@bct/no-such-package"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, BCT_IMAGES: "upstream" },
      });
      expect(child.status).toBe(1);
      expect(child.stderr).toContain(standInRefusal(standIns));
      expect(child.stdout).not.toContain("Tests:");
    },
  );

  it.runIf(imageMode() === "upstream")("no course image on this engine is a stand-in", async () => {
    const standIns = await standInsAmong(engine, await courseImageRefs());
    expect(standIns, standInRefusal(standIns)).toEqual([]);
  });
});
