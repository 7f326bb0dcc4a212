import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const TURBO = join(ROOT, "node_modules/.bin/turbo");

/** A copy of the repository's tracked files with the same installed dependencies (links, not copies). */
function copyOfRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), "bct-turbo-cache-"));
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  for (const pkg of readdirSync(join(ROOT, "packages"))) {
    if (!existsSync(join(ROOT, "packages", pkg, "node_modules"))) continue;
    // Each package's node_modules holds relative links (to the store and to sibling packages): copy the links.
    cpSync(join(ROOT, "packages", pkg, "node_modules"), join(copy, "packages", pkg, "node_modules"), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: copy, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=test", "-c", "user.email=test@bct.invalid", "commit", "-qm", "copy");
  return copy;
}

function typecheck(cwd: string) {
  const result = spawnSync(TURBO, ["run", "typecheck", "--continue", "--output-logs=new-only"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 300_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

describe("turbo's cache never hides a failure", () => {
  it("re-checks the packages that use a renamed engine export, though their own files did not change", () => {
    const copy = copyOfRepository();
    copies.push(copy);
    const warm = typecheck(copy);
    expect(warm.status, warm.output).toBe(0);

    const index = join(copy, "packages/engine/src/index.ts");
    const source = readFileSync(index, "utf8");
    // The export of formatBytes from ./progress.ts, on one line or over several.
    const exported = /(export \{[^}]*?)\bformatBytes,/;
    expect(source).toMatch(exported);
    writeFileSync(index, source.replace(exported, "$1formatBytes as formatByteCount,"));

    const broken = typecheck(copy);
    expect(broken.status).not.toBe(0);
    // The runner and the classroom import formatBytes from the engine; their own files did not change.
    for (const user of ["example-runner", "classroom"]) {
      expect(broken.output).toMatch(
        new RegExp(
          `@bct/${user}:typecheck: .*error TS(2305|2724): Module '"@bct/engine"' has no exported member.* 'formatBytes'`,
        ),
      );
      expect(broken.output).not.toContain(`@bct/${user}:typecheck: cache hit`);
    }
  });
});
