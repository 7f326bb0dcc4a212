import { describe, expect, it } from "vitest";
import { finalStage, parseDockerfile } from "./parse.ts";

function parsed(text: string) {
  const result = parseDockerfile(text);
  if (!result.ok) throw new Error(`expected a valid Dockerfile: ${JSON.stringify(result.problems)}`);
  return result.dockerfile;
}

function problems(text: string) {
  const result = parseDockerfile(text);
  if (result.ok) throw new Error("expected syntax problems");
  return result.problems;
}

describe("parseDockerfile", () => {
  it("reads stages, names and instructions with their lines", () => {
    const dockerfile = parsed(
      [
        "# a comment",
        "FROM golang:1.27 AS Builder",
        "WORKDIR /src",
        "",
        "FROM scratch",
        "COPY --from=builder /src/app /app",
        'ENTRYPOINT ["/app", "-i", "/app/input"]',
      ].join("\n"),
    );
    expect(dockerfile.stages.map((stage) => [stage.base, stage.name, stage.from.line])).toEqual([
      ["golang:1.27", "builder", 2],
      ["scratch", undefined, 5],
    ]);
    const copy = finalStage(dockerfile).instructions[0]!;
    expect(copy).toMatchObject({
      keyword: "COPY",
      flags: [{ name: "from", value: "builder" }],
      rest: "/src/app /app",
    });
    expect(finalStage(dockerfile).instructions[1]).toMatchObject({
      keyword: "ENTRYPOINT",
      form: "exec",
      exec: ["/app", "-i", "/app/input"],
      line: 7,
    });
  });

  it("joins continuation lines, skipping comments inside them, and keeps the start and end line", () => {
    const dockerfile = parsed(
      [
        "FROM debian:trixie-slim",
        "RUN apt-get update \\",
        "# why: fewer layers",
        "  && apt-get install -y make  \\  ",
        "  && true",
      ].join("\n"),
    );
    const run = dockerfile.stages[0]!.instructions[0]!;
    expect(run.args).toBe("apt-get update   && apt-get install -y make    && true");
    expect(run).toMatchObject({ form: "shell", line: 2, endLine: 5 });
  });

  it("honours the escape directive", () => {
    const dockerfile = parsed(["# escape=`", "FROM scratch", "COPY a `", "  b /x/"].join("\n"));
    expect(dockerfile.escapeChar).toBe("`");
    expect(dockerfile.stages[0]!.instructions[0]!.rest).toBe("a   b /x/");
  });

  it("tells exec form from shell form, including broken JSON", () => {
    const dockerfile = parsed(
      ["FROM scratch", "ENTRYPOINT /app -i /app/input", "CMD ['/app']", 'RUN ["make"]'].join("\n"),
    );
    expect(dockerfile.stages[0]!.instructions.map((instruction) => instruction.form)).toEqual([
      "shell",
      "shell",
      "exec",
    ]);
  });

  it("takes ARG before FROM and FROM flags", () => {
    const dockerfile = parsed(
      ["ARG GO=1.24", "FROM --platform=$BUILDPLATFORM golang:$GO", "RUN make"].join("\n"),
    );
    expect(dockerfile.globalArgs).toHaveLength(1);
    expect(dockerfile.stages[0]).toMatchObject({ base: "golang:$GO" });
    expect(dockerfile.stages[0]!.from.flags).toEqual([{ name: "platform", value: "$BUILDPLATFORM" }]);
  });

  it("reports an unknown instruction with the closest real one", () => {
    expect(problems("FROM scratch\nCOPPY main.go /src/\n")).toEqual([
      { line: 2, message: "Unknown instruction COPPY (did you mean COPY?)." },
    ]);
  });

  it("reports instructions before FROM, missing arguments, a file without FROM and an empty file", () => {
    expect(problems("WORKDIR /src\nFROM scratch\n")[0]!.message).toMatch(/before the first FROM/);
    expect(problems("FROM scratch\nCOPY main.go\n")[0]).toMatchObject({
      line: 2,
      message: expect.stringMatching(/source and a destination/),
    });
    expect(problems("FROM\n")[0]!.message).toBe("FROM needs arguments.");
    expect(problems("FROM golang:1.27 builder\n")[0]!.message).toMatch(/optional "AS name"/);
    expect(problems("ARG X=1\n")[0]!.message).toMatch(/no FROM/);
    expect(problems("# only a comment\n")[0]!.message).toMatch(/no instructions/);
  });

  it("reads BuildKit's syntax: directives, heredocs, RUN --mount and COPY --chmod/--link", () => {
    const dockerfile = parsed(
      [
        "# syntax=docker/dockerfile:1",
        "# check=error=true",
        "FROM golang:1.27 AS build",
        "WORKDIR /src",
        "RUN --mount=type=cache,target=/root/.cache/go-build \\",
        "    --mount=type=bind,source=go.mod,target=go.mod <<SH",
        "set -e",
        "SET_BY=heredoc",
        "CGO_ENABLED=0 go build -o /app .",
        "SH",
        "COPY --chmod=0755 --link <<EOF /usr/local/bin/hello",
        "#!/bin/sh",
        "echo hello",
        "EOF",
        "RUN <<-'ONE' cat - <<TWO",
        "\techo one $NOT_EXPANDED",
        "\tONE",
        "two",
        "TWO",
        "FROM scratch",
        'ENTRYPOINT ["/app"]',
      ].join("\n"),
    );
    expect(dockerfile.directives).toEqual({ syntax: "docker/dockerfile:1", check: "error=true" });
    const [build] = dockerfile.stages;
    expect(
      build!.instructions.map((instruction) => [instruction.keyword, instruction.line, instruction.endLine]),
    ).toEqual([
      ["WORKDIR", 4, 4],
      ["RUN", 5, 10],
      ["COPY", 11, 14],
      ["RUN", 15, 19],
    ]);
    const run = build!.instructions[1]!;
    expect(run.flags).toEqual([
      { name: "mount", value: "type=cache,target=/root/.cache/go-build" },
      { name: "mount", value: "type=bind,source=go.mod,target=go.mod" },
    ]);
    expect(run.heredocs).toEqual([
      {
        name: "SH",
        content: "set -e\nSET_BY=heredoc\nCGO_ENABLED=0 go build -o /app .",
        stripTabs: false,
        quoted: false,
      },
    ]);
    const copy = build!.instructions[2]!;
    expect(copy.flags.map((flag) => flag.name)).toEqual(["chmod", "link"]);
    expect(copy.heredocs[0]!.content).toBe("#!/bin/sh\necho hello");
    expect(build!.instructions[3]!.heredocs).toEqual([
      { name: "ONE", content: "echo one $NOT_EXPANDED", stripTabs: true, quoted: true },
      { name: "TWO", content: "two", stripTabs: false, quoted: false },
    ]);
    expect(dockerfile.stages[1]!.from.line).toBe(20);
  });

  it("reports a here-document that is never closed", () => {
    expect(problems("FROM alpine:3.24\nRUN <<SH\necho never closed\n")).toEqual([
      {
        line: 2,
        message: "The here-document <<SH is never closed: end it with a line that says only SH.",
      },
    ]);
  });

  it("reads directives only at the top, and the escape directive", () => {
    expect(parsed("# escape=`\nFROM alpine:3.24\nRUN echo a `\n  b\n").escapeChar).toBe("`");
    expect(parsed("FROM alpine:3.24\n# syntax=docker/dockerfile:1\n").directives).toEqual({});
    expect(parsed("# a comment\n# check=skip=all\nFROM alpine:3.24\n").directives).toEqual({});
  });
});
