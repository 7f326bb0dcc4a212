import { execFile, execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Engine, labelFlags } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { courseImages } from "@bct/example-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOfLineComments } from "../src/dockerfile-comments.ts";
import { runnerExampleSource } from "../src/example-source.ts";
import { deckPaths, findRepoRoot } from "../src/paths.ts";
import { preprocessSlides } from "../src/preprocess.ts";
import { readSlideFiles } from "../src/slide-files.ts";

const repoRoot = findRepoRoot();
const paths = deckPaths(repoRoot);
const source = runnerExampleSource();
const slides = readSlideFiles(paths.slidesDir, repoRoot);
const resolved = preprocessSlides(slides, {
  repoRoot,
  deckDir: paths.deckDir,
  examples: await source.loadExamples(repoRoot),
  transcript: (example) => source.exampleTranscript(example),
  recordedWith: (examples) => source.recordedWith!(examples),
  images: await source.courseImages!(repoRoot),
});
const dockerfiles = resolved.filesIncluded.filter((file) => /(^|\/)Dockerfile[^/]*$/.test(file));
const snippetsDir = join(paths.deckDir, "snippets");
const snippets = readdirSync(snippetsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe("Dockerfiles on the slides", () => {
  it("are all included from files (none is typed into a slide), every snippet is shown", () => {
    for (const slide of slides) expect(slide.text, slide.file).not.toMatch(/^\s*```+\s*dockerfile/im);
    expect(dockerfiles.length).toBeGreaterThanOrEqual(15);
    for (const name of snippets) expect(dockerfiles).toContain(`packages/deck/snippets/${name}/Dockerfile`);
  });

  it("build on the images the course pins (the examples' tags, or a stand-in's for a base no example uses)", async () => {
    const course = (await courseImages(repoRoot)).map((image) => image.ref);
    const standIns = (
      JSON.parse(readFileSync(join(repoRoot, "standins", "images.json"), "utf8")) as Array<{ ref: string }>
    ).map((image) => image.ref);
    const repositoryOf = (ref: string) => ref.replace(/[:@].*$/, "");
    const problems: string[] = [];
    for (const name of snippets) {
      const text = readFileSync(join(snippetsDir, name, "Dockerfile"), "utf8");
      const stages = new Set<string>(["scratch"]);
      for (const match of text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
        const ref = match[1]!;
        if (match[2]) stages.add(match[2]);
        if (stages.has(ref) && !match[2]) continue;
        if (ref === "scratch") continue;
        const sameRepository = course.filter((image) => repositoryOf(image) === repositoryOf(ref));
        const allowed = sameRepository.length > 0 ? sameRepository : standIns;
        if (!allowed.includes(ref))
          problems.push(
            `snippets/${name}/Dockerfile: FROM ${ref}, but the course uses ${sameRepository.join(", ") || "no such image and it has no stand-in"}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it("have every comment on its own line", () => {
    const fences = [...resolved.markdown.matchAll(/```+dockerfile\n([\s\S]*?)```/g)].map(
      (match) => match[1]!,
    );
    expect(fences.length).toBe(dockerfiles.length);
    for (const fence of fences) expect(endOfLineComments(fence), fence).toEqual([]);
  });
});

function buildxAsync(engine: Engine, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile("docker", ["buildx", ...args], { env: engine.cliEnvironment() }, (error, _stdout, stderr) => {
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

function buildx(engine: Engine, args: string[]) {
  return spawnSync("docker", ["buildx", ...args], { env: engine.cliEnvironment(), encoding: "utf8" });
}

describeWithEngine("every Dockerfile on a slide builds", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine("deck-snippets");
  });
  afterAll(async () => {
    await engine?.cleanup();
  });

  it("passes docker buildx build --check (BuildKit's parser and lint rules)", async () => {
    // Four at a time: each check is a short BuildKit solve, mostly waiting.
    const queue = [...dockerfiles];
    const failed: string[] = [];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const path = join(repoRoot, file);
        const check = await buildxAsync(engine, ["build", "--check", "-f", path, dirname(path)]);
        if (check.status !== 0)
          failed.push(`${file}: ${check.stderr.trim().split("\n").slice(-3).join(" | ")}`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failed).toEqual([]);
  });

  it("fails the check on the deck's old ENV line with an end-of-line comment", () => {
    const old = join(import.meta.dirname, "fixtures", "old-env-arg");
    const check = buildx(engine, ["build", "--check", old]);
    expect(check.status).not.toBe(0);
    expect(check.stderr).toContain(`can't find = in "#"`);
    expect(endOfLineComments(readFileSync(join(old, "Dockerfile"), "utf8"))).toHaveLength(2);
  });

  it.each(snippets)("snippets/%s builds for real in its folder", (name) => {
    const build = buildx(engine, ["build", "--output", "type=cacheonly", join(snippetsDir, name)]);
    expect(build.status, build.stderr.split("\n").slice(-8).join("\n")).toBe(0);
  });

  it("the ENV and ARG snippet does what its comments say: 1.0 by default, 2.0 with --build-arg", () => {
    const tag = `bct-snippet-env-arg:${engine.session.id}`;
    const labels = labelFlags(engine.session).split(" ");
    const run = () =>
      execFileSync("docker", ["run", "--rm", ...labels, tag], {
        env: engine.cliEnvironment(),
        encoding: "utf8",
      });
    const dir = join(snippetsDir, "env-arg");
    expect(buildx(engine, ["build", "--load", "-q", ...labels, "-t", tag, dir]).status).toBe(0);
    expect(run().trim()).toBe("version 1.0");
    expect(
      buildx(engine, ["build", "--load", "-q", ...labels, "--build-arg", "VERSION=2.0", "-t", tag, dir])
        .status,
    ).toBe(0);
    expect(run().trim()).toBe("version 2.0");
  });
});
