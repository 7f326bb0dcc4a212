import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { BuildError, KitError } from "../src/errors.ts";
import { describeWithEngine, testEngine } from "../src/testing.ts";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const exec = promisify(execFile);

async function failureOf(promise: Promise<unknown>): Promise<BuildError> {
  const failure = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(BuildError);
  return failure as BuildError;
}

describeWithEngine("building images with docker buildx build", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine("build");
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it("builds with build args, honours .dockerignore, prints plain progress and puts the kit's labels on", async () => {
    const lines: string[] = [];
    const result = await engine.images.build({
      context: join(fixtures, "builds-ok"),
      tags: [`bct-test/builds-ok:1-${engine.session.id}`],
      buildArgs: { GREETING: "hi" },
      onLog: (line) => lines.push(line),
    });
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ \[2\/3\] COPY message.txt \/message.txt$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ (DONE \d+\.\ds|CACHED)$/));
    // The labels go on with --label: no LABEL step appears that the Dockerfile does not have.
    expect(lines.join("\n")).not.toMatch(/LABEL/);

    const details = await engine.images.inspect(`bct-test/builds-ok:1-${engine.session.id}`);
    expect(details?.id).toBe(result.imageId);
    expect(details?.labels["bct.managed"]).toBe("true");
    expect(details?.labels["bct.session"]).toBe(engine.session.id);
    expect(details?.labels["bct.owner"]).toBe("test:build");

    const run = await engine.containers.run({ image: `bct-test/builds-ok:1-${engine.session.id}` });
    expect(run.stdout).toBe("hi from the build\ncopied into the image\n");
  });

  it("builds one target of a Dockerfile with another name, without the ignored files", async () => {
    await engine.images.build({
      context: join(fixtures, "builds-ok"),
      dockerfile: "build.Dockerfile",
      target: "base",
      tags: [`bct-test/builds-ok:base-${engine.session.id}`],
      buildArgs: { GREETING: "howdy" },
    });
    const run = await engine.containers.run({ image: `bct-test/builds-ok:base-${engine.session.id}` });
    expect(run.stdout).toBe("howdy from the base stage\n");
    const listed = await engine.containers.run({
      image: `bct-test/builds-ok:base-${engine.session.id}`,
      command: ["ls", "/context"],
    });
    expect(listed.stdout.split("\n")).toContain("message.txt");
    expect(listed.stdout).not.toContain("secret.txt");
  });

  it("shows the failing RUN's own error line, its instruction and its Dockerfile line", async () => {
    const error = await failureOf(
      engine.images.build({
        context: join(fixtures, "broken-run"),
        tags: [`bct-test/broken-run:1-${engine.session.id}`],
      }),
    );
    expect(error.instruction?.text).toBe('RUN echo "this one fails" &&     ls /no/such/folder');
    expect(error.instruction?.line).toBe(3);
    expect(error.instruction?.step).toBe("3/3");
    expect(error.stepOutput).toContain("this one fails");
    expect(error.stepOutput.join("\n")).toMatch(/\/no\/such\/folder: No such file or directory/);
    expect(error.builderMessage).toMatch(/did not complete successfully: exit code: 1/);
    expect(error.message).toContain("Dockerfile line 3");
    expect(await engine.images.exists(`bct-test/broken-run:1-${engine.session.id}`)).toBe(false);
  });

  it("names an unknown instruction and its line", async () => {
    const error = await failureOf(
      engine.images.build({
        context: join(fixtures, "unknown-instruction"),
        tags: [`bct-test/unknown:1-${engine.session.id}`],
      }),
    );
    expect(error.instruction).toEqual({ step: undefined, text: "RUNN echo typo", line: 2 });
    expect(error.builderMessage).toBe(
      "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)",
    );
  });

  it("names a COPY whose source is not in the context, and its line", async () => {
    const error = await failureOf(
      engine.images.build({
        context: join(fixtures, "missing-copy"),
        tags: [`bct-test/missing-copy:1-${engine.session.id}`],
      }),
    );
    expect(error.instruction?.text).toBe("COPY app.conf /etc/app.conf");
    expect(error.instruction?.line).toBe(3);
    expect(error.builderMessage).toMatch(/"\/app.conf": not found/);
  });

  it("builds heredocs, COPY --chmod --link and a cache mount that keeps its files between builds", async () => {
    const first = await engine.images.build({
      context: join(fixtures, "buildkit-syntax"),
      tags: [`bct-test/buildkit-syntax:1-${engine.session.id}`],
      buildArgs: { RUN_ID: `a-${engine.session.id}` },
    });
    expect(first.warnings).toEqual([]);
    const second = await engine.images.build({
      context: join(fixtures, "buildkit-syntax"),
      tags: [`bct-test/buildkit-syntax:2-${engine.session.id}`],
      buildArgs: { RUN_ID: `b-${engine.session.id}` },
    });
    const runsSeen = async (tag: string) => {
      const run = await engine.containers.run({ image: tag });
      expect(run.stdout).toMatch(/^written by a heredoc\nruns seen by the cache mount: \d+\n$/);
      return Number(/(\d+)\n$/.exec(run.stdout)![1]);
    };
    // The second build's RUN found the line the first one wrote into the cache mount.
    expect(await runsSeen(`bct-test/buildkit-syntax:2-${engine.session.id}`)).toBeGreaterThan(
      await runsSeen(`bct-test/buildkit-syntax:1-${engine.session.id}`),
    );
    expect(second.imageId).not.toBe(first.imageId);
  });

  it("leaves no dangling image after several builds of the same tag", async () => {
    const work = mkdtempSync(join(tmpdir(), "bct-dangling-"));
    const dangling = async () =>
      (
        await exec("docker", [
          "images",
          "--quiet",
          "--filter",
          "dangling=true",
          "--filter",
          `label=bct.session=${engine.session.id}`,
        ])
      ).stdout
        .split("\n")
        .filter(Boolean).length;
    try {
      cpSync(join(fixtures, "builds-ok"), work, { recursive: true });
      const before = await dangling();
      for (let round = 1; round <= 4; round++) {
        writeFileSync(join(work, "message.txt"), `round ${round}\n`);
        await engine.images.build({ context: work, tags: [`bct-test/rebuilt:1-${engine.session.id}`] });
      }
      await engine.images
        .build({ context: join(fixtures, "broken-run"), tags: [`bct-test/rebuilt:1-${engine.session.id}`] })
        .catch(() => undefined);
      expect(before).toBe(0);
      expect(await dangling()).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("reports the size of the build cache that holds the layers of those builds", async () => {
    const usage = await engine.buildCache.usage();
    expect(usage.entries).toBeGreaterThan(0);
    expect(usage.bytes).toBeGreaterThan(0);
    expect(usage.reclaimableBytes).toBeLessThanOrEqual(usage.bytes);
  });

  it("stops the buildx process when the build is aborted, and tags nothing", async () => {
    const work = mkdtempSync(join(tmpdir(), "bct-abort-"));
    try {
      writeFileSync(
        join(work, "Dockerfile"),
        `FROM alpine:3.24\nRUN echo ${engine.session.id} && sleep 60\n`,
      );
      const abort = new AbortController();
      const started = Date.now();
      const build = engine.images.build({
        context: work,
        tags: [`bct-test/aborted:1-${engine.session.id}`],
        signal: abort.signal,
        onLog: (line) => {
          if (/RUN echo/.test(line)) abort.abort();
        },
      });
      await expect(build).rejects.toMatchObject({ code: "INTERRUPTED" });
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await engine.images.exists(`bct-test/aborted:1-${engine.session.id}`)).toBe(false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("says what is missing when there is no docker CLI, before building anything", async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), "bct-no-docker-"));
    try {
      const { connectEngine } = await import("../src/engine.ts");
      const bare = await connectEngine({ owner: "test:build", env: { ...process.env, PATH: emptyPath } });
      const failure = await bare.images
        .build({ context: join(fixtures, "builds-ok"), tags: [`bct-test/no-cli:1-${engine.session.id}`] })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(KitError);
      expect((failure as KitError).code).toBe("REQUIREMENT_MISSING");
      expect((failure as KitError).message).toBe(
        "Cannot build images: the docker CLI (no `docker` command on PATH).",
      );
      expect((failure as KitError).hint).toMatch(/Debian\/Ubuntu: .*docker-buildx/);
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  it("says so when the context has no Dockerfile", async () => {
    await expect(
      engine.images.build({ context: fixtures, tags: [`bct-test/none:1-${engine.session.id}`] }),
    ).rejects.toThrow(/There is no Dockerfile in/);
  });
});
