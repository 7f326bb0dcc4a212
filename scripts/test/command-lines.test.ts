import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every `pnpm …` line of README.md, docs/*.md and each kit command's --help examples, run as an attendee
 * types it: `bash -c <line>` in the repository, through the real pnpm binary on PATH.
 *
 * What a line is checked for depends on what it prints:
 * - `--print`: stdout is a script bash accepts (`bash -n`);
 * - `--json`: stdout parses as JSON;
 * - the cheap listings (`pnpm example`, `pnpm images list`, `pnpm progress`, `pnpm exec doctor`, …): the
 *   command's own text, no pnpm banner, exit 0 or 1;
 * - lines that run examples, servers, pulls, builds or cleaning (minutes, or the shared engine): run with
 *   `--help` appended, which checks that the command, subcommand and every option it names exist;
 * - developer lines (`pnpm test`, `pnpm lint`, …: root scripts that take minutes or run this very test):
 *   listed in DEVELOPER and not run.
 * Every line must leave stderr free of pnpm's ELIFECYCLE line and the repository without a new file.
 */

const ROOT = join(import.meta.dirname, "../..");
const PNPM_PATH = `/opt/bct/bin:${process.env.PATH ?? ""}`;
/** Where progress and class membership live, as ~/.local/state/bct does for an attendee. */
const STATE_DIR = mkdtempSync(join(tmpdir(), "bct-command-lines-"));

/** Root scripts for the kit's developers (see the README's "Developing" part); not run here. */
const DEVELOPER = new Set(["test", "lint", "typecheck", "build", "bench", "vitest", "install", "format"]);

/** Lines that finish in a few seconds, reading only: run exactly as written. */
const CHEAP = [
  /^pnpm example$/,
  /^pnpm example --json$/,
  /^pnpm images list( --json)?$/,
  /^pnpm progress( --json)?$/,
  /^pnpm exec doctor( --json)?$/,
];

/** A value for each placeholder the docs write. */
const PLACEHOLDERS: [RegExp, string][] = [[/<name>/g, "ports"]];

interface Source {
  where: string;
  line: string;
}

/** `a && b` is two lines, each checked on its own; only the pnpm ones are kept. */
function commandsOf(line: string): string[] {
  return line
    .split(/\s+&&\s+/)
    .map((part) => part.trim())
    .filter((part) => part.startsWith("pnpm "));
}

function fromMarkdown(file: string): Source[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const lines = new Set<string>();
  let fenced = false;
  for (const raw of text.split("\n")) {
    if (raw.startsWith("```")) fenced = !fenced;
    else if (fenced && raw.startsWith("pnpm ")) for (const line of commandsOf(raw)) lines.add(line);
  }
  for (const match of text.matchAll(/`(pnpm [^`]+)`/g))
    for (const line of commandsOf(match[1]!)) lines.add(line);
  return [...lines].map((line) => ({ where: file, line }));
}

/** The bins of the kit's packages, each with its --help examples. */
function fromHelp(): Source[] {
  const sources: Source[] = [];
  for (const pkg of readdirSync(join(ROOT, "packages"))) {
    let manifest: { bin?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, "packages", pkg, "package.json"), "utf8"));
    } catch {
      continue;
    }
    for (const bin of Object.keys(manifest.bin ?? {})) {
      const command = bin === "doctor" ? "pnpm exec doctor" : `pnpm ${bin}`;
      const help = pnpm(`${command} --help`).stdout;
      const examples = help.split("\nExamples:\n")[1] ?? "";
      for (const line of examples.split("\n")) {
        for (const part of commandsOf(line.trim())) sources.push({ where: `${command} --help`, line: part });
      }
    }
  }
  return sources;
}

/** What to run for a written line, and how to judge its stdout. */
function planFor(written: string): { run: string; judge: "bash" | "json" | "text" | "help" } | "developer" {
  let line = written.replace(/\s+#.*$/, "").trim();
  if (line.includes(" && ")) throw new Error(`split ${line} first`);
  for (const [pattern, value] of PLACEHOLDERS) line = line.replace(pattern, value);
  const script = /^pnpm (?:run )?([\w-]+)/.exec(line)?.[1] ?? "";
  if (DEVELOPER.has(script) || line.startsWith("pnpm install")) return "developer";
  // Prose naming pnpm's own command, not a line to type.
  if (line === "pnpm exec") return "developer";
  // The command itself, up to a pipe or a redirection; prose that names an option without its value
  // (`pnpm images load --from`) is read without that option.
  const first = line
    .split(/\s*(?:\||>|;)\s*/)[0]!
    .replace(/\s+--(from|port|dir|name|host|image|cache|pull)$/, "");
  if (/ --print\b/.test(first)) return { run: first, judge: "bash" };
  // Running one example needs the engine for seconds to minutes: its --print script shows the name is real.
  if (/^pnpm example [a-z][\w-]*$/.test(first) && !first.endsWith(" clean"))
    return { run: `${first} --print`, judge: "bash" };
  if (CHEAP.some((pattern) => pattern.test(first)))
    return { run: first, judge: / --json\b/.test(first) ? "json" : "text" };
  // The line as written, --help added: the command, its subcommand and every option it names must exist.
  return { run: `${first} --help`, judge: "help" };
}

const ENV = { ...process.env, PATH: PNPM_PATH, NO_COLOR: "1", CI: "", BCT_STATE_DIR: STATE_DIR };

function pnpm(line: string) {
  const result = spawnSync("bash", ["-c", line], { cwd: ROOT, encoding: "utf8", env: ENV, timeout: 60_000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** Untracked or changed files, ignored ones included (node_modules and the caches aside). */
function leftovers(): string[] {
  const result = spawnSync(
    "git",
    ["status", "--porcelain", "--untracked-files=normal", "--ignored=traditional"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  return result.stdout
    .split("\n")
    .filter((entry) => entry && !/node_modules\/|\.turbo\/|\/dist\//.test(entry));
}

const sources = [
  ...fromMarkdown("README.md"),
  ...readdirSync(join(ROOT, "docs"))
    .filter((file) => file.endsWith(".md"))
    .flatMap((file) => fromMarkdown(join("docs", file))),
  ...fromHelp(),
];

describe("every pnpm line of the README, the docs and the --help examples", () => {
  const seen = new Set<string>();
  const planned = sources.flatMap(({ where, line }) => {
    const plan = planFor(line);
    if (plan === "developer") return [];
    const key = `${plan.run} ${plan.judge}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ where, line, ...plan }];
  });

  it("finds the lines (README, docs and every command's --help)", () => {
    const wheres = new Set(planned.map((entry) => entry.where));
    expect(wheres).toContain("README.md");
    expect(wheres).toContain("pnpm example --help");
    expect(wheres).toContain("pnpm exec doctor --help");
    expect(planned.filter((entry) => entry.judge === "bash").length).toBeGreaterThanOrEqual(2);
    expect(planned.filter((entry) => entry.judge === "json").length).toBeGreaterThanOrEqual(3);
  });

  it.each(planned)("$where: $line → $run", ({ run, judge }) => {
    const before = leftovers();
    const { stdout, stderr, status } = pnpm(run);
    expect(stderr).not.toContain("ELIFECYCLE");
    expect(stdout, "pnpm's run banner").not.toMatch(/^\s*> \S+@/);
    if (judge === "bash") {
      expect(status, stderr).toBe(0);
      const check = spawnSync("bash", ["-n"], { input: stdout, encoding: "utf8" });
      expect(check.stderr).toBe("");
      expect(stdout.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    } else if (judge === "json") {
      expect([0, 1], stderr).toContain(status);
      expect(() => JSON.parse(stdout)).not.toThrow();
    } else if (judge === "help") {
      expect(status, stderr).toBe(0);
      expect(stdout).toMatch(/^Usage: pnpm /m);
    } else {
      expect([0, 1], stderr).toContain(status);
      expect(stdout.trim().length).toBeGreaterThan(0);
    }
    expect(
      leftovers().filter((entry) => !before.includes(entry)),
      "files left behind",
    ).toEqual([]);
    expect(
      before.filter((entry) => !leftovers().includes(entry)),
      "files removed",
    ).toEqual([]);
  });
});
