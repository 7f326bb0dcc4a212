import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/paths.ts";

const repoRoot = findRepoRoot();

function deck(...args: string[]) {
  const result = spawnSync(
    join(repoRoot, "node_modules", ".bin", "tsx"),
    [join(repoRoot, "packages", "deck", "src", "main.ts"), ...args],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("pnpm deck", () => {
  it("lists its commands with --help", () => {
    const { code, stdout } = deck("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: pnpm deck <build|serve> [options]");
    expect(stdout).toMatch(
      /serve +Serve the deck with live reload on one port \(default 4100, all interfaces\)/,
    );
  });

  it("documents each subcommand's options", () => {
    const build = deck("build", "--help");
    expect(build.code).toBe(0);
    expect(build.stdout).toContain("--html-only");
    const serve = deck("serve", "--help");
    expect(serve.code).toBe(0);
    expect(serve.stdout).toContain("--port <port>");
    expect(serve.stdout).toContain("(default: 4100)");
  });

  it("suggests the closest command for a typo, and rejects a bad port, with exit code 2", () => {
    const typo = deck("biuld");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('[ ERROR ] Unknown command "biuld" (did you mean "build"?)');
    const port = deck("serve", "--port", "http");
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a number from 1 to 65535, got "http"');
  });
});
