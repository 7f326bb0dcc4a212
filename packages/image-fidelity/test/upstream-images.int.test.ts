import type { Engine } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { imageMode } from "../src/mode.ts";
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

  it.runIf(imageMode() === "upstream")("no course image on this engine is a stand-in", async () => {
    const standIns = await standInsAmong(engine, await courseImageRefs());
    expect(standIns, standInRefusal(standIns)).toEqual([]);
  });
});
