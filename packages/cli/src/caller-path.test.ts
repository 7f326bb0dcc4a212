import { describe, expect, it } from "vitest";
import { callerPath } from "./caller-path.ts";

describe("callerPath", () => {
  it("resolves against the folder pnpm was called from (INIT_CWD)", () => {
    expect(callerPath("./x", { INIT_CWD: "/home/me/attempts" })).toBe("/home/me/attempts/x");
  });

  it("keeps an absolute path and falls back to the process's folder", () => {
    expect(callerPath("/tmp/y", { INIT_CWD: "/home/me" })).toBe("/tmp/y");
    expect(callerPath("z", {})).toBe(`${process.cwd()}/z`);
  });
});
