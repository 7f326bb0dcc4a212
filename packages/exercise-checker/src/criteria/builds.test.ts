import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile } from "@bct/dockerfile";
import { BuildError } from "@bct/engine";
import { describe, expect, it } from "vitest";
import { chooseHint } from "../check.ts";
import { diagnoseBuild } from "../diagnoses/build.ts";
import { DEFAULT_EXERCISE_DIR, loadExercise } from "../exercise-file.ts";
import { describeBuildFailure } from "./builds.ts";

const parsed = parseDockerfile(
  readFileSync(join(import.meta.dirname, "../../test/fixtures/copy-missing-file/Dockerfile"), "utf8"),
);
const fixtureDockerfile = parsed.ok ? parsed.dockerfile : undefined;
const builds = loadExercise(DEFAULT_EXERCISE_DIR).criteria.find((criterion) => criterion.kind === "builds")!;

// BuildKit's errors as buildx 0.29.1 reported them here; the compile case has Go's and make's message format.
// test/check.int.test.ts builds each case for real.
function failure(text: string, line: number, builderMessage: string, stepOutput: string[] = []): BuildError {
  return new BuildError({
    image: "bct-check/x:1",
    dockerfile: "Dockerfile",
    instruction: { step: undefined, text, line },
    builderMessage,
    stepOutput,
    log: "",
  });
}

const cases = {
  "missing COPY source": failure(
    "COPY go.mod main.go Makefile server.go ./",
    3,
    'failed to compute cache key: failed to calculate checksum of ref 13upf9fltf43gfmf8t01cb2rk::taa0ma3ztgoot9xkxbd615oau: "/server.go": not found',
  ),
  "unknown base image": failure(
    "FROM localhost:5000/bct-no-such-golang:1.27 AS builder",
    2,
    "localhost:5000/bct-no-such-golang:1.27: failed to resolve source metadata for localhost:5000/bct-no-such-golang:1.27: localhost:5000/bct-no-such-golang:1.27: not found",
  ),
  "network failure": failure(
    "FROM registry.invalid/golang:1.27 AS builder",
    2,
    'registry.invalid/golang:1.27: failed to resolve source metadata for registry.invalid/golang:1.27: failed to do request: Head "https://registry.invalid/v2/golang/manifests/1.24": dial tcp: lookup registry.invalid on 10.255.255.53:53: no such host',
  ),
  "compile error": failure(
    "RUN make",
    4,
    'process "/bin/sh -c make" did not complete successfully: exit code: 2',
    [
      'CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o webserver-volume-access .',
      "# example.com/webserver-volume-access",
      "./main.go:92:29: undefined: undefinedName",
      "make: *** [Makefile:9: webserver-volume-access] Error 1",
    ],
  ),
};

const expectedHint = {
  "missing COPY source": /^COPY at line 3 names server\.go, which is not in this folder/,
  "unknown base image": /^The base image could not be found/,
  "network failure": /^The build could not reach the network/,
  "compile error": /^The Go compiler stopped at main\.go line 92, column 29: undefined: undefinedName\./,
};

describe("the build criterion's diagnosis", () => {
  it.each(Object.keys(cases) as Array<keyof typeof cases>)("picks the %s hint for its case", (name) => {
    const message = describeBuildFailure(cases[name]);
    const hint = diagnoseBuild({
      error: cases[name],
      dockerfile: fixtureDockerfile,
      dir: DEFAULT_EXERCISE_DIR,
    });
    expect(chooseHint(builds, { status: "fail", message, measured: null, hint })).toMatch(expectedHint[name]);
  });

  it("falls back to the general hint for another failing RUN", () => {
    const message = describeBuildFailure(
      failure("RUN false", 4, 'process "/bin/sh -c false" did not complete successfully: exit code: 1'),
    );
    expect(chooseHint(builds, { status: "fail", message, measured: null })).toBe(builds.hint);
  });

  it("shows where the build stopped, that step's last lines and BuildKit's error", () => {
    expect(describeBuildFailure(cases["compile error"])).toBe(
      [
        "The build stopped at RUN make (Dockerfile line 4).",
        "Its last lines of output:",
        '  CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o webserver-volume-access .',
        "  # example.com/webserver-volume-access",
        "  ./main.go:92:29: undefined: undefinedName",
        "  make: *** [Makefile:9: webserver-volume-access] Error 1",
        'BuildKit: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      ].join("\n"),
    );
  });
});
