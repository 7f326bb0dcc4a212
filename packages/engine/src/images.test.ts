import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locateInstruction, splitReference } from "./images.ts";

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

describe("locateInstruction", () => {
  it("finds the line of a continued instruction", () => {
    const dir = mkdtempSync(join(tmpdir(), "bct-locate-"));
    const path = join(dir, "Dockerfile");
    writeFileSync(path, 'FROM alpine:3.22\n\nRUN apk add \\\n    make\nCMD ["make"]\n');
    expect(locateInstruction({ step: "Step 2/3", text: "RUN apk add     make" }, path)).toEqual({
      step: "Step 2/3",
      text: "RUN apk add     make",
      line: 3,
    });
    expect(locateInstruction({ step: "Step 1/3", text: "FROM alpine:3.22" }, path).line).toBe(1);
  });
});
