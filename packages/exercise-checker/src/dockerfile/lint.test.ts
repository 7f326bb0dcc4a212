import { parseDockerfile } from "@bct/dockerfile";
import { describe, expect, it } from "vitest";
import { lintDockerfile } from "./lint.ts";

function rulesOf(text: string) {
  const result = parseDockerfile(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return lintDockerfile(result.dockerfile).map((advice) => [advice.rule, advice.line]);
}

describe("lintDockerfile", () => {
  it("has no advice for a pinned multi-stage build with an exec-form ENTRYPOINT and a numeric user", () => {
    expect(
      rulesOf(
        [
          "FROM golang:1.27 AS builder",
          "COPY . /src",
          "FROM scratch",
          "COPY --from=builder /src/app /app",
          "USER 65532:65532",
          'ENTRYPOINT ["/app"]',
        ].join("\n"),
      ),
    ).toEqual([]);
  });

  it("flags a base without a tag or with latest, but not scratch, stages, digests or ARG images", () => {
    expect(
      rulesOf(
        [
          "FROM golang AS a",
          "FROM alpine:latest AS b",
          "FROM localhost:5000/base AS c",
          "FROM a AS d",
          "FROM alpine@sha256:abc AS e",
          "FROM $IMAGE AS f",
          "FROM scratch",
          "USER 1000",
        ].join("\n"),
      ),
    ).toEqual([
      ["unpinned-base", 1],
      ["unpinned-base", 2],
      ["unpinned-base", 3],
    ]);
  });

  it("flags ADD", () => {
    expect(rulesOf("FROM scratch\nADD app /app\nUSER 1\n")).toEqual([["add-instead-of-copy", 2]]);
  });

  it("leaves shell-form ENTRYPOINT and CMD to BuildKit's JSONArgsRecommended", () => {
    expect(rulesOf("FROM scratch\nUSER 1\nENTRYPOINT /app -i /app/input\nCMD ['/app']\n")).toEqual([]);
  });

  it("flags a toolchain image as the final stage's base, following stages back, but not a small base", () => {
    expect(rulesOf("FROM golang:1.27\nUSER 1\n")).toEqual([["toolchain-in-final-image", 1]]);
    expect(rulesOf("FROM golang:1.27 AS b\nFROM b\nUSER 1\n")).toEqual([["toolchain-in-final-image", 2]]);
    expect(rulesOf("FROM golang:1.27 AS b\nFROM alpine:3.24\nUSER 1\n")).toEqual([]);
  });

  it("flags COPY . without a .dockerignore, and only then", () => {
    const parsed = parseDockerfile("FROM scratch\nCOPY . /app\nUSER 1\n");
    if (!parsed.ok) throw new Error("parse");
    expect(lintDockerfile(parsed.dockerfile, ["Dockerfile", "main.go", "input"])).toMatchObject([
      { rule: "copies-folder-without-dockerignore", source: "course", line: 2 },
    ]);
    expect(lintDockerfile(parsed.dockerfile, ["Dockerfile", ".dockerignore", "main.go"])).toEqual([]);
  });

  it("flags running as root: no USER, USER root or USER 0, following stages back", () => {
    expect(rulesOf("FROM scratch\nCOPY a /a\n")).toEqual([["runs-as-root", 1]]);
    expect(rulesOf("FROM scratch\nUSER root\n")).toEqual([["runs-as-root", 2]]);
    expect(rulesOf("FROM scratch\nUSER 0:0\n")).toEqual([["runs-as-root", 2]]);
    expect(rulesOf("FROM debian:trixie-slim AS base\nUSER 1000\nFROM base\nRUN true\n")).toEqual([]);
  });

  it("reads tags next to registry ports", () => {
    expect(rulesOf("FROM localhost:5000/x\nUSER 1000\n")).toEqual([["unpinned-base", 1]]);
    expect(rulesOf("FROM localhost:5000/x:1.0\nUSER 1000\n")).toEqual([]);
  });
});
