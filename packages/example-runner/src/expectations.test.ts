import { describe, expect, it } from "vitest";
import { checkProcess, checkText } from "./expectations.ts";

describe("checkText", () => {
  it("ignores trailing newlines for equals and regular expressions", () => {
    expect(checkText("stdout", "hello\n\n", { equals: "hello" })).toEqual([]);
    expect(
      checkText("stdout", "hello world from aarch64\n", { matches: "^hello world from [a-z0-9_]+$" }),
    ).toEqual([]);
  });

  it("names what is missing and shows what was there", () => {
    expect(checkText("body", "Welcome", { contains: ["Welcome", "nginx"] })).toEqual([
      'body should contain "nginx", was "Welcome"',
    ]);
    expect(checkText("stdout", "a", { equals: "b" })).toEqual(['stdout should be "b", was "a"']);
    expect(checkText("stdout", "root", { notContains: "root" })).toEqual([
      'stdout should not contain "root"',
    ]);
    expect(checkText("stdout", "x", { matches: "^y$" })).toEqual(['stdout should match /^y$/, was "x"']);
  });

  it("reports every unmet matcher", () => {
    expect(
      checkText("out", "abc", { equals: "x", contains: "z", matches: "^q", notContains: "a" }),
    ).toHaveLength(4);
  });
});

describe("checkProcess", () => {
  it("expects exit code 0 unless told otherwise", () => {
    expect(checkProcess(undefined, { exitCode: 1, stdout: "", stderr: "boom\n" })).toEqual([
      'exit code should be 0, was 1 (stderr: "boom")',
    ]);
    expect(
      checkProcess(
        { exitCode: 1, stderr: { contains: "Read-only file system" } },
        { exitCode: 1, stdout: "", stderr: "touch: /x: Read-only file system\n" },
      ),
    ).toEqual([]);
  });

  it("matches output as stdout followed by stderr", () => {
    expect(
      checkProcess({ output: { equals: "out\nerr" } }, { exitCode: 0, stdout: "out", stderr: "err\n" }),
    ).toEqual([]);
  });
});
