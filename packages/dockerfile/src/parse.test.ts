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
});
