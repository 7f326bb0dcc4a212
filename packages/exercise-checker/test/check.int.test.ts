import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkExercise } from "../src/check.ts";
import { DEFAULT_EXERCISE_DIR } from "../src/exercise-file.ts";
import { type CheckReport, checkReportSchema } from "../src/schema.ts";
import { attemptFolder, exercise, fixtureFolder } from "./workspace.ts";

function statuses(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.criteria.map((result) => [result.id, result.status]));
}

function result(report: CheckReport, id: string) {
  return report.criteria.find((candidate) => candidate.id === id)!;
}

/** Everything before the broken criterion passes, it fails, the ones depending on it are skipped. */
function expectOnlyFailure(report: CheckReport, failing: string, skipped: string[] = []) {
  const expected: Record<string, string> = {};
  for (const criterion of exercise.criteria) {
    expected[criterion.id] =
      criterion.id === failing ? "fail" : skipped.includes(criterion.id) ? "skip" : "pass";
  }
  // Nobody runs the attendee's container during these tests.
  expected["attendee-container"] = "open";
  expect(statuses(report)).toEqual(expected);
  expect(report.complete).toBe(false);
}

describeWithEngine("pnpm check-exercise against the engine", () => {
  let sessionsBefore: string[] = [];
  const reports: CheckReport[] = [];
  const check = async (dir: string) => {
    const report = await checkExercise({ exercise, dir });
    expect(checkReportSchema.parse(report)).toEqual(report);
    reports.push(report);
    return report;
  };
  const checkFixture = async (name: string) => {
    const attempt = fixtureFolder(name);
    try {
      return await check(attempt.dir);
    } finally {
      attempt.remove();
    }
  };

  beforeAll(async () => {
    const engine = await testEngine("exercise-checker");
    sessionsBefore = (
      await engine.containers.list({ all: true, label: "bct.owner=exercise:webserver-volume-access" })
    ).map((container) => container.id);
  });

  afterAll(async () => {
    // Each check removes what it made: no container of the exercise is left behind.
    const engine = await testEngine("exercise-checker");
    const left = await engine.containers.list({
      all: true,
      label: "bct.owner=exercise:webserver-volume-access",
    });
    expect(left.filter((container) => !sessionsBefore.includes(container.id))).toEqual([]);
  });

  it("passes the reference solution on every criterion but the attendee's own container", async () => {
    const attempt = attemptFolder();
    try {
      const report = await check(attempt.dir);
      expectOnlyFailure(report, "none");
      expect(result(report, "image-size").message).toMatch(/gold: within the 10 MB target/);
      expect(result(report, "image-size").message).toMatch(
        /\n {2}.+ {2}COPY --from=builder \/src\/webserver-volume-access \/webserver-volume-access \(line 9\)$/,
      );
      expect(report.advice).toEqual([]);
      expect(result(report, "attendee-container").hint).toContain(
        `docker run -d --rm --name webserver-volume-access -p 9090:8080 -v ${join(attempt.dir, "input")}:/app/input:ro webserver-volume-access`,
      );
    } finally {
      attempt.remove();
    }
  });

  it("fails the starting state with the hint to create a Dockerfile", async () => {
    const report = await check(DEFAULT_EXERCISE_DIR);
    expectOnlyFailure(report, "dockerfile", [
      "builds",
      "image-size",
      "listens",
      "serves-input",
      "follows-edits",
    ]);
    expect(result(report, "dockerfile").message).toMatch(/There is no Dockerfile/);
    expect(result(report, "dockerfile").hint).toMatch(/^Create a Dockerfile in this folder/);
  });

  it("fails a syntax error at the dockerfile criterion, naming the line and the closest instruction", async () => {
    const report = await checkFixture("syntax-error");
    expectOnlyFailure(report, "dockerfile", [
      "builds",
      "image-size",
      "listens",
      "serves-input",
      "follows-edits",
    ]);
    expect(result(report, "dockerfile").message).toBe(
      "Dockerfile line 3: Unknown instruction COPPY (did you mean COPY?).",
    );
    expect(result(report, "dockerfile").hint).toMatch(/Fix that line/);
  });

  const checkDockerfileOf = async (name: string) => {
    const attempt = fixtureFolder(name);
    try {
      const report = await checkExercise({ exercise, dir: attempt.dir, only: ["dockerfile"] });
      expect(result(report, "dockerfile").status).toBe("pass");
      return report.advice;
    } finally {
      attempt.remove();
    }
  };
  const JSON_ARGS = {
    rule: "JSONArgsRecommended",
    source: "buildkit",
    line: 11,
    url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
  };

  it("gives BuildKit's JSONArgsRecommended for a shell-form CMD, with the course's why and the exec form", async () => {
    expect(await checkDockerfileOf("shell-form-cmd")).toEqual([
      {
        ...JSON_ARGS,
        message:
          'JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals. In shell form your program runs under /bin/sh -c: the shell gets docker stop\'s SIGTERM and your program never does, so docker stop waits 10 s and then kills it; in scratch there is no /bin/sh at all. Write CMD ["/server", "-i", "/app/input"].',
      },
    ]);
  });

  it("gives BuildKit's JSONArgsRecommended for an ENTRYPOINT that is not valid JSON", async () => {
    expect(await checkDockerfileOf("entrypoint-not-json")).toEqual([
      {
        ...JSON_ARGS,
        message:
          "JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals. ENTRYPOINT ['/webserver-volume-access', '-i', '/app/input'] is not a JSON array (JSON wants double quotes), so Docker takes it as shell form: it runs through /bin/sh -c, which scratch does not have. Write ENTRYPOINT [\"/webserver-volume-access\", \"-i\", \"/app/input\"].",
      },
    ]);
  });

  it("adds the course's own advice where BuildKit has no rule: an unpinned base, COPY . without .dockerignore", async () => {
    expect(await checkDockerfileOf("unpinned-base")).toEqual([
      {
        rule: "unpinned-base",
        source: "course",
        line: 2,
        url: null,
        message:
          "FROM golang has no tag, which means :latest: it changes under you and the build is not repeatable. Pin a version, e.g. golang:<version>.",
      },
      {
        rule: "copies-folder-without-dockerignore",
        source: "course",
        line: 4,
        url: null,
        message:
          "COPY . . at line 4 copies the whole folder (Makefile, go.mod, main.go) into the build, with no .dockerignore to keep out what the program does not need. Copy only what the build needs (COPY go.mod main.go Makefile ./), or add a .dockerignore.",
      },
    ]);
  });

  const buildFailure = ["image-size", "listens", "serves-input", "follows-edits"];

  it("fails a COPY of a file that is not there at the builds criterion: instruction, line, BuildKit's words, COPY hint", async () => {
    const report = await checkFixture("copy-missing-file");
    expectOnlyFailure(report, "builds", buildFailure);
    const builds = result(report, "builds");
    expect(builds.message).toMatch(
      /^The build stopped at COPY go\.mod main\.go Makefile server\.go \.\/ \(Dockerfile line 3\)\.\n/,
    );
    expect(builds.message).toMatch(/\nBuildKit: failed to compute cache key: .*"\/server\.go": not found$/);
    expect(builds.hint).toBe(
      `COPY at line 3 names server.go, which is not in this folder (${report.dir}). COPY takes paths relative to it; the files here: Dockerfile, Makefile, go.mod, main.go.`,
    );
  });

  it("shows the Go compiler's own line at the builds criterion, with the compile-error hint", async () => {
    const attempt = attemptFolder();
    try {
      appendFileSync(join(attempt.dir, "main.go"), "\nfunc broken() int { return undefinedName }\n");
      const report = await check(attempt.dir);
      expectOnlyFailure(report, "builds", buildFailure);
      const builds = result(report, "builds");
      expect(builds.message).toMatch(
        /^The build stopped at RUN make \(Dockerfile line 5\)\.\nIts last lines of output:\n/,
      );
      expect(builds.message).toMatch(/^ {2}\.\/main\.go:\d+:\d+: undefined: undefinedName$/m);
      expect(builds.message).toMatch(
        /\nBuildKit: process "\/bin\/sh -c make" did not complete successfully: exit code: 2$/,
      );
      expect(builds.hint).toMatch(
        /^The Go compiler stopped at main\.go line \d+, column \d+: undefined: undefinedName\. Fix that line of main\.go;/,
      );
    } finally {
      attempt.remove();
    }
  });

  it("names the file make needs and the COPY that should bring it, not the compiler", async () => {
    const report = await checkFixture("make-missing-source");
    expectOnlyFailure(report, "builds", buildFailure);
    const builds = result(report, "builds");
    expect(builds.message).toMatch(
      /^ {2}make: \*\*\* No rule to make target 'main\.go', needed by 'webserver-volume-access'\. {2}Stop\.$/m,
    );
    expect(builds.hint).toBe(
      "make stopped, not the compiler: the Makefile needs main.go to build webserver-volume-access, and main.go is not in the build stage. Your COPY at line 4 (COPY go.mod Makefile ./) does not bring main.go: add it there, COPY go.mod Makefile main.go ./.",
    );
  });

  it("names the missing Makefile and the COPY that should bring it", async () => {
    const report = await checkFixture("make-without-makefile");
    expectOnlyFailure(report, "builds", buildFailure);
    const builds = result(report, "builds");
    expect(builds.message).toMatch(
      /^ {2}make: \*\*\* No targets specified and no makefile found\. {2}Stop\.$/m,
    );
    expect(builds.hint).toBe(
      "make found no Makefile in /src (the WORKDIR): it was not copied into the build stage. Your COPY at line 4 (COPY go.mod main.go ./) does not bring Makefile: add it there, COPY go.mod main.go Makefile ./.",
    );
  });

  it("names a RUN's command that the image does not have", async () => {
    const report = await checkFixture("run-command-not-found");
    expectOnlyFailure(report, "builds", buildFailure);
    const builds = result(report, "builds");
    expect(builds.message).toMatch(/^ {2}\/bin\/sh: 1: gobuild: not found$/m);
    expect(builds.message).toMatch(/exit code: 127$/);
    expect(builds.hint).toBe(
      "RUN at line 5: the shell found no command gobuild in golang:1.27. Check its spelling; a RUN can only use programs its stage's image has (golang:1.27 has go and make). Go's one command is go (go build, go version).",
    );
  });

  it("names a base image the registry does not have, with the base-image hint", async () => {
    const report = await checkFixture("unknown-base-image");
    expectOnlyFailure(report, "builds", buildFailure);
    const builds = result(report, "builds");
    expect(builds.message).toMatch(
      /^The build stopped at FROM localhost:5000\/bct-no-such-golang:1\.27 AS builder \(Dockerfile line 2\)\./,
    );
    expect(builds.message).toMatch(
      /failed to resolve source metadata for localhost:5000\/bct-no-such-golang:1\.27.*not found$/,
    );
    expect(builds.hint).toMatch(/^The base image could not be found/);
  });

  it("tells a network failure from a missing image, with the network hint", async () => {
    const report = await checkFixture("network-failure");
    expectOnlyFailure(report, "builds", buildFailure);
    const builds = result(report, "builds");
    expect(builds.message).toMatch(/\(Dockerfile line 2\)/);
    expect(builds.message).toMatch(/registry\.invalid.*no such host/);
    expect(builds.hint).toMatch(/^The build could not reach the network/);
  });

  it("passes a solution with BuildKit syntax (a cache mount, a heredoc, COPY --chmod --link, a check directive) on every criterion", async () => {
    const report = await checkFixture("cache-mount-solution");
    expectOnlyFailure(report, "none");
    expect(report.advice).toEqual([]);
  });

  it("fails a program on another port at the listens criterion, with the port hint", async () => {
    const report = await checkFixture("wrong-port");
    expectOnlyFailure(report, "listens", ["serves-input", "follows-edits"]);
    const listens = result(report, "listens");
    expect(listens.message).toMatch(/Nothing answered on container port 8080 within 10 s/);
    expect(listens.message).toMatch(/EXPOSEs 8081\/tcp/);
    expect(listens.message).toMatch(/on port 8081/);
    expect(listens.hint).toMatch(/listens on another port than 8080/);
  });

  it("fails an ENTRYPOINT without -i /app/input at the serves-input criterion", async () => {
    const report = await checkFixture("entrypoint-without-input");
    expectOnlyFailure(report, "serves-input", ["follows-edits"]);
    const serves = result(report, "serves-input");
    expect(serves.message).toMatch(/got 503 with "cannot read the input file input/);
    expect(serves.hint).toContain('ENTRYPOINT ["/webserver-volume-access", "-i", "/app/input"]');
    expect(report.advice).toEqual([]);
  });

  it("fails a dynamically linked binary in scratch at the listens criterion, naming the loader the image lacks", async () => {
    const report = await checkFixture("dynamic-binary");
    expectOnlyFailure(report, "listens", ["serves-input", "follows-edits"]);
    const listens = result(report, "listens");
    expect(listens.message).toMatch(/The container exited with code \d+/);
    expect(listens.message).toMatch(/exec \/webserver-volume-access: no such file or directory/);
    expect(listens.hint).toBe(
      "/webserver-volume-access is in the image, but it is linked dynamically: the kernel needs its loader /lib64/ld-linux-x86-64.so.2 (and the C library) to start it, and this image has neither. It was built with cgo on; build it static with CGO_ENABLED=0, as the Makefile does (make).",
    );
  });

  it("fails a program for an architecture this machine cannot run, naming it from the program's ELF header", async () => {
    const report = await checkFixture("foreign-architecture");
    expectOnlyFailure(report, "listens", ["serves-input", "follows-edits"]);
    const listens = result(report, "listens");
    expect(listens.message).toMatch(/exec \/webserver-volume-access: exec format error$/);
    expect(listens.hint).toBe(
      "/webserver-volume-access is a program for ia64, but the image is linux/amd64, and this machine cannot run ia64 code. Build it for the image's architecture: leave GOARCH unset in the Dockerfile (docker buildx --platform sets it for a multi-arch build).",
    );
  });

  it("fails an ENTRYPOINT of a path that is not in the image with runc's full reason and where the program is", async () => {
    const report = await checkFixture("entrypoint-wrong-path");
    expectOnlyFailure(report, "listens", ["serves-input", "follows-edits"]);
    const listens = result(report, "listens");
    expect(listens.message).toBe(
      'The container did not start. The runtime\'s reason:\n  exec: "/server": stat /server: no such file or directory',
    );
    expect(listens.hint).toBe(
      'ENTRYPOINT starts /server, which is not in the image. A program of that name is at /bin/server (where your COPY put it). Start that path, ENTRYPOINT ["/bin/server", "-i", "/app/input"], or COPY it to /server.',
    );
  });

  it("fails a shell-form ENTRYPOINT in scratch: no /bin/sh, with the exec form to write", async () => {
    const report = await checkFixture("shell-form-in-scratch");
    expectOnlyFailure(report, "listens", ["serves-input", "follows-edits"]);
    const listens = result(report, "listens");
    expect(listens.message).toMatch(/exec: "\/bin\/sh": stat \/bin\/sh: no such file or directory$/);
    expect(listens.hint).toBe(
      'Your ENTRYPOINT is in shell form, so Docker runs it as /bin/sh -c "/webserver-volume-access -i /app/input", and this image has no /bin/sh (scratch has nothing but the files you copied). Write it in exec form, a JSON array, which needs no shell: ENTRYPOINT ["/webserver-volume-access", "-i", "/app/input"].',
    );
  });

  it("fails a single-stage image at the size criterion, showing its size, largest layers and the multi-stage hint", async () => {
    const report = await checkFixture("single-stage-too-big");
    expectOnlyFailure(report, "image-size");
    const size = result(report, "image-size");
    expect(size.measured).toBeGreaterThan(20_000_000);
    expect(size.message).toMatch(/more than 20 MB\nlargest layers:\n/);
    // Named as the attendee wrote them; the base image's layers are one line.
    expect(size.message).toMatch(/^ {2}.+ {2}from golang:1\.27 \(\d+ layers of the base image\)$/m);
    expect(size.message).toMatch(/^ {2}.+ {2}RUN make \(line 4\)$/m);
    expect(size.message).not.toMatch(/# buildkit|\/bin\/sh -c/);
    expect(size.hint).toMatch(/multi-stage build/);
  });
});
