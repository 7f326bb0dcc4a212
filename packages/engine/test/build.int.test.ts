import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { BuildError } from "../src/errors.ts";
import { describeWithEngine, testEngine } from "../src/testing.ts";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

describeWithEngine("building images through the engine", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine("build");
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it("builds a context with build args, honours .dockerignore, and labels the image", async () => {
    const lines: string[] = [];
    const result = await engine.images.build({
      context: join(fixtures, "builds-ok"),
      tags: ["bct-test/builds-ok:1"],
      buildArgs: { GREETING: "hi" },
      onLog: (line) => lines.push(line),
    });
    expect(result.imageId).toMatch(/^(sha256:)?[0-9a-f]{12,}/);
    expect(lines.some((line) => line.includes("COPY message.txt"))).toBe(true);

    const details = await engine.images.inspect("bct-test/builds-ok:1");
    expect(details?.labels["bct.managed"]).toBe("true");
    expect(details?.labels["bct.session"]).toBe(engine.session.id);

    const run = await engine.containers.run({ image: "bct-test/builds-ok:1" });
    expect(run.stdout).toBe("hi from the build\ncopied into the image\n");
    const ignored = await engine.containers.run({ image: "bct-test/builds-ok:1", command: ["ls", "/"] });
    expect(ignored.stdout).not.toContain("secret.txt");
  });

  it("names the failing RUN instruction and its Dockerfile line", async () => {
    const failure = await engine.images
      .build({ context: join(fixtures, "broken-run"), tags: ["bct-test/broken-run:1"] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BuildError);
    const error = failure as BuildError;
    expect(error.instruction?.text).toContain('RUN echo "this one fails"');
    expect(error.instruction?.line).toBe(3);
    expect(error.builderMessage).toMatch(/returned a non-zero code: 3/);
    expect(error.message).toContain("Dockerfile line 3");
    expect(await engine.images.exists("bct-test/broken-run:1")).toBe(false);
  });

  it("reports an unknown instruction with the builder's message", async () => {
    const failure = await engine.images
      .build({ context: join(fixtures, "unknown-instruction"), tags: ["bct-test/unknown:1"] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BuildError);
    expect((failure as BuildError).builderMessage.toLowerCase()).toContain("runn");
  });

  it("says so when the context has no Dockerfile", async () => {
    await expect(engine.images.build({ context: fixtures, tags: ["bct-test/none:1"] })).rejects.toThrow(
      /There is no Dockerfile in/,
    );
  });
});
