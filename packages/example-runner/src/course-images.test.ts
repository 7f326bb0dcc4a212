// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile variables, not template placeholders
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseImages, normalizeReference } from "./course-images.ts";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** A small course: every way an image can enter it, and every way it must stay out. */
const FIXTURE: Record<string, string> = {
  "examples/base/example.yaml": `title: Base
section: first-steps
order: 1
description: Runs, pulls and a shell step.
steps:
  - kind: pull
    title: pull
    image: docker.io/library/nginx:1.29-alpine
  - kind: run
    title: run
    image: bash:5.2
    rm: true
  - kind: shell
    title: shell
    script: docker run --rm $BCT_LABELS --network host curlimages/curl:8.17.0 -sS http://localhost
`,
  "examples/built/example.yaml": `title: Built
section: building-images
order: 1
description: Builds with arguments, tags and pushes its own image.
requires: [local-registry]
steps:
  - kind: build
    title: default
    tag: mine:1
  - kind: build
    title: other base
    tag: mine:2
    dockerfile: Dockerfile.variant
    buildArgs: { TAG: "3.21" }
  - kind: run
    title: run own
    image: mine:1
    rm: true
  - kind: tag
    title: tag
    source: mine:1
    target: localhost:5000/mine:1
  - kind: run
    title: run from the local registry
    image: localhost:5000/mine:1
    rm: true
`,
  "examples/multi/example.yaml": `title: Multi
section: compose
order: 1
description: A compose project.
steps:
  - kind: compose-up
    title: up
    project: multi
`,
  "examples/multi/compose.yaml":
    "name: multi\nservices:\n  proxy:\n    image: nginx:1.28-alpine\n  app:\n    build: app\n    image: multi-app:1\n",
  "examples/multi/app/Dockerfile": "FROM python:3.14-slim\n",
  "examples/built/Dockerfile": "FROM gcc:14 AS builder\nRUN make\nFROM scratch\nCOPY --from=builder /a /a\n",
  "examples/built/Dockerfile.variant": "ARG TAG=3.22\nFROM alpine:${TAG}\n",
  "examples/built/tools/Dockerfile.builder": "FROM debian:trixie-slim\n",
  "examples/no-manifest/Dockerfile": "FROM hello-world:latest\n",
  "examples/built/out/Dockerfile": "FROM ignored:1\n",
  "exercise/task/exercise.yaml": "id: task\nimage: task\nsolution: solution.b64\n",
  "exercise/task/solution.b64": Buffer.from(
    "FROM golang:1.24 AS b\nFROM scratch\nCOPY --from=b /x /x\n",
  ).toString("base64"),
};

describe("courseImages", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "bct-course-images-"));
    for (const [path, content] of Object.entries(FIXTURE)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("derives upstream images from manifests, compose files, Dockerfiles, requirement fixes and exercise solutions", async () => {
    expect(await courseImages(root)).toEqual([
      { ref: "alpine:3.21", usedBy: ["examples/built/Dockerfile.variant"] },
      { ref: "bash:5.2", usedBy: ["examples/base/example.yaml"] },
      { ref: "curlimages/curl:8.17.0", usedBy: ["examples/base/example.yaml"] },
      { ref: "debian:trixie-slim", usedBy: ["examples/built/tools/Dockerfile.builder"] },
      { ref: "gcc:14", usedBy: ["examples/built/Dockerfile"] },
      { ref: "golang:1.24", usedBy: ["exercise/task/solution.b64"] },
      { ref: "hello-world:latest", usedBy: ["examples/no-manifest/Dockerfile"] },
      { ref: "nginx:1.28-alpine", usedBy: ["examples/multi/compose.yaml"] },
      { ref: "nginx:1.29-alpine", usedBy: ["examples/base/example.yaml"] },
      { ref: "python:3.14-slim", usedBy: ["examples/multi/app/Dockerfile"] },
      { ref: "registry:3", usedBy: ["examples/built/example.yaml"] },
    ]);
  });

  it("knows the images of this repository's course", async () => {
    const refs = (await courseImages(REPO_ROOT)).map((image) => image.ref);
    expect(refs).toEqual(
      expect.arrayContaining(["alpine:3.24", "bash:5.3", "gcc:16", "golang:1.27", "nginx:1.30-alpine"]),
    );
    expect(refs.filter((ref) => ref.startsWith("localhost:") || ref.includes("$"))).toEqual([]);
    const nginx = (await courseImages(REPO_ROOT)).find((image) => image.ref === "nginx:1.30-alpine");
    expect(nginx?.usedBy).toContain("examples/compose/compose.yaml");
  });
});

describe("normalizeReference", () => {
  it("drops the Docker Hub registry and library/ prefixes", () => {
    expect(normalizeReference("docker.io/library/alpine:3.22")).toBe("alpine:3.22");
    expect(normalizeReference("library/alpine:3.22")).toBe("alpine:3.22");
    expect(normalizeReference("docker.io/curlimages/curl:8.17.0")).toBe("curlimages/curl:8.17.0");
    expect(normalizeReference("ghcr.io/owner/image:1")).toBe("ghcr.io/owner/image:1");
  });
});
