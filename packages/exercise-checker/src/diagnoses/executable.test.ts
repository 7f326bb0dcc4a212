import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readExecutable } from "./executable.ts";

// Real programs of this machine: a dynamically linked one, a static one, a script.
describe("readExecutable", () => {
  it("reads the architecture and the dynamic loader of a dynamically linked ELF program", () => {
    const head = readFileSync("/bin/ls").subarray(0, 64 * 1024);
    expect(readExecutable(head)).toEqual({
      kind: "elf",
      architecture: "amd64",
      interpreter: "/lib64/ld-linux-x86-64.so.2",
    });
  });

  it("finds no loader in a static program", () => {
    const head = readFileSync("/usr/bin/qemu-aarch64-static").subarray(0, 64 * 1024);
    expect(readExecutable(head)).toEqual({ kind: "elf", architecture: "amd64", interpreter: undefined });
  });

  it("reads a script's #! line", () => {
    expect(readExecutable(Buffer.from("#!/bin/sh -e\necho hi\n"))).toEqual({
      kind: "script",
      interpreter: "/bin/sh",
    });
    expect(readExecutable(Buffer.from("hello"))).toEqual({ kind: "unknown" });
  });
});
