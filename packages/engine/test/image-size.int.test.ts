import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { imageSizeShellExpression } from "../src/image-size.ts";
import { describeWithEngine, testEngine } from "../src/testing.ts";

// One number for an image on every image store: the sum of its history's (uncompressed) layer sizes.
const IMAGES = ["alpine:3.24", "nginx:1.30-alpine"];

describeWithEngine("image size", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine("image-size");
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  for (const ref of IMAGES)
    it(`${ref}: the sum of the layer sizes docker image history prints, in the API and in the script form`, async () => {
      const size = await engine.images.size(ref);
      const cliLayers = execFileSync(
        "docker",
        ["image", "history", "--human=false", "--format", "{{.Size}}", ref],
        {
          encoding: "utf8",
          env: { ...process.env, ...engine.cliEnvironment() },
        },
      )
        .trim()
        .split("\n")
        .map(Number);
      const cliSum = cliLayers.reduce((a, b) => a + b, 0);
      expect(size?.layers.map((layer) => layer.size)).toEqual(cliLayers);
      expect(size?.bytes).toBe(cliSum);
      expect(size!.bytes).toBeGreaterThan(1_000_000);
      const scripted = execFileSync("bash", ["-c", `echo ${imageSizeShellExpression(ref)}`], {
        encoding: "utf8",
        env: { ...process.env, ...engine.cliEnvironment() },
      }).trim();
      expect(Number(scripted)).toBe(cliSum);
    });

  it("is undefined for an image that is not there", async () => {
    expect(await engine.images.size("bct-no-such-image:0")).toBeUndefined();
  });
});
