import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findInstructionLine, splitReference } from "./images.ts";

describe("splitReference", () => {
  it("splits repository and tag, keeping registry ports", () => {
    expect(splitReference("localhost:5000/my-hello-world:v1")).toEqual({
      repo: "localhost:5000/my-hello-world",
      tag: "v1",
    });
    expect(splitReference("localhost:5000/my-hello-world")).toEqual({
      repo: "localhost:5000/my-hello-world",
      tag: "latest",
    });
    expect(splitReference("alpine@sha256:abc")).toEqual({ repo: "alpine", tag: undefined });
  });
});

describe("findInstructionLine", () => {
  it("finds the line of a continued instruction, as BuildKit names its step", () => {
    const dir = mkdtempSync(join(tmpdir(), "bct-locate-"));
    const path = join(dir, "Dockerfile");
    writeFileSync(path, 'FROM alpine:3.24\n\nRUN apk add \\\n    make\nCMD ["make"]\n');
    expect(findInstructionLine("RUN apk add     make", path)).toBe(3);
    expect(findInstructionLine("FROM alpine:3.24", path)).toBe(1);
    expect(findInstructionLine("RUN something else", path)).toBeUndefined();
  });
});
