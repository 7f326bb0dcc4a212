import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { findRepoRoot } from "../src/repo-root.ts";
import { namedCommands, PNPM_BUILTINS, SHADOWED_BY_PNPM } from "../src/workspace-commands.ts";
import {
  automationsSchema,
  devcontainerSchema,
  formatIssues,
  gitpodConfigSchema,
} from "./workspace-schema.ts";

const root = findRepoRoot();
const read = (path: string) => readFileSync(join(root, path), "utf8");
const nodeMajor = read(".node-version").trim().split(".")[0];
const rootScripts = Object.keys(
  (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts,
);
/** The kit's commands: the bins its packages declare (`pnpm <bin>` runs them through pnpm exec), by file. */
const kitBins = new Map(
  readdirSync(join(root, "packages")).flatMap((name) => {
    const manifest = join("packages", name, "package.json");
    if (!existsSync(join(root, manifest))) return [];
    const bin = (JSON.parse(read(manifest)) as { bin?: Record<string, string> }).bin ?? {};
    return Object.entries(bin).map(([command, file]) => [command, join("packages", name, file)] as const);
  }),
);
const commands = [...rootScripts, ...kitBins.keys()];

/** Parses with the schema; on failure the assertion shows every `path: message`. */
function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  expect(result.success ? [] : formatIssues(result.error)).toEqual([]);
  return result.data as T;
}

const helpCache = new Map<string, string>();
/** The --help text of a root script's subcommand, from the real CLI. */
function helpOf(script: string, subcommand: string): string {
  const key = `${script} ${subcommand}`;
  if (!helpCache.has(key)) {
    const file = kitBins.get(script);
    expect(file, `${script} is a bin of a kit package`).toBeDefined();
    const text = execFileSync(process.execPath, [file!, subcommand, "--help"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    helpCache.set(key, text);
  }
  return helpCache.get(key)!;
}

/** Every `pnpm <script>` must be a root script (and its subcommand and options real); every `bash x.sh` a file. */
function expectCommandsExist(text: string): number {
  const named = namedCommands(text);
  for (const { script, subcommand, options, viaRun } of named.pnpm) {
    if (PNPM_BUILTINS.has(script)) continue;
    expect(commands, `pnpm ${script}`).toContain(script);
    // `pnpm doctor` would run pnpm's own doctor, silently.
    if (SHADOWED_BY_PNPM.has(script)) expect(viaRun, `call it as pnpm run ${script}`).toBe(true);
    if (subcommand && ["deck", "images", "example"].includes(script)) {
      const help = helpOf(script, subcommand);
      for (const option of options) expect(help, `pnpm ${script} ${subcommand} ${option}`).toContain(option);
    }
  }
  for (const script of named.scripts) expect(existsSync(join(root, script)), script).toBe(true);
  return named.pnpm.length + named.scripts.length;
}

describe(".gitpod.yml", () => {
  const config = validate(gitpodConfigSchema, parseYaml(read(".gitpod.yml")));

  it("builds from .gitpod.Dockerfile, pinned to a dated gitpod/workspace-full tag", () => {
    expect(config.image).toEqual({ file: ".gitpod.Dockerfile" });
    const from = /^FROM\s+(\S+)/m.exec(read(".gitpod.Dockerfile"))?.[1];
    expect(from).toMatch(/^gitpod\/workspace-full:\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/);
  });

  it("installs dependencies and builds the deck at prebuild, pre-pulls the images and serves the deck on 4100", () => {
    const inits = config.tasks.map((task) => task.init ?? "").join("\n");
    const commands = config.tasks.map((task) => task.command ?? "").join("\n");
    expect(inits).toContain("pnpm install --frozen-lockfile");
    expect(inits).toContain("pnpm deck build");
    expect(`${inits}\n${commands}`).toContain("pnpm images pull");
    expect(commands).toContain("pnpm deck serve --port 4100");
  });

  it("names only commands and scripts that exist", () => {
    const text = config.tasks.flatMap((task) => [task.before, task.init, task.command]).join("\n");
    expect(expectCommandsExist(text)).toBeGreaterThanOrEqual(5);
  });

  it("labels the deck port and opens it as a preview, and ignores the registry", () => {
    const deck = config.ports?.find((port) => port.port === 4100);
    expect(deck).toMatchObject({ name: "Deck", onOpen: "open-preview" });
    expect(config.ports?.find((port) => port.port === 5000)?.onOpen).toBe("ignore");
    expect(config.ports?.every((port) => port.name)).toBe(true);
  });

  it("recommends the Marp and Docker extensions", () => {
    expect(config.vscode?.extensions).toEqual(["marp-team.marp-vscode", "ms-azuretools.vscode-docker"]);
  });

  it("installs qemu-user-static, Chrome, buildx, compose, the Node major of .node-version and pnpm in the image", () => {
    const dockerfile = read(".gitpod.Dockerfile");
    for (const needle of [
      "qemu-user-static",
      "google-chrome",
      "docker buildx version",
      "docker compose version",
      `nvm install ${nodeMajor}`,
      "pnpm@10",
    ]) {
      expect(dockerfile).toContain(needle);
    }
  });

  it("rejects a wrong key or value with path: message", () => {
    const result = gitpodConfigSchema.safeParse({
      image: { file: ".gitpod.Dockerfile" },
      tasks: [{ name: "x", command: "true" }],
      ports: [{ port: 4100, onOpen: "open-tab" }],
      vscode: { extension: [] },
    });
    expect(result.success).toBe(false);
    const lines = formatIssues(result.error!);
    expect(lines.some((line) => line.startsWith("ports.0.onOpen: "))).toBe(true);
    expect(lines.some((line) => line.startsWith("vscode: ") && line.includes("extension"))).toBe(true);
  });
});

describe(".devcontainer/devcontainer.json", () => {
  const errors: ParseError[] = [];
  const raw = parseJsonc(read(".devcontainer/devcontainer.json"), errors, { allowTrailingComma: false });

  it("is valid JSONC", () => {
    expect(errors.map((error) => `offset ${error.offset}: ${printParseErrorCode(error.error)}`)).toEqual([]);
  });

  const config = validate(devcontainerSchema, raw);

  it("uses docker-in-docker with buildx, and a Dockerfile that adds Chromium, qemu-user-static and pnpm on the Node major of .node-version", () => {
    const dind = config.features["ghcr.io/devcontainers/features/docker-in-docker:2"];
    expect(dind).toMatchObject({ installDockerBuildx: true, dockerDashComposeVersion: "v2" });
    const dockerfile = read(join(".devcontainer", config.build.dockerfile));
    expect(dockerfile).toMatch(new RegExp(`^FROM\\s+\\S+:1-${nodeMajor}-\\S+$`, "m"));
    for (const needle of ["chromium", "qemu-user-static", "binfmt-support", "pnpm@10"])
      expect(dockerfile).toContain(needle);
    expect(config.containerEnv?.CHROME_PATH).toBe("/usr/bin/chromium");
  });

  it("runs a post-create install and the post-start script, both of which exist", () => {
    expect(config.postCreateCommand).toBe("bash .devcontainer/post-create.sh");
    expect(config.postStartCommand).toBe("bash .devcontainer/post-start.sh");
    const text = [
      config.postCreateCommand,
      config.postStartCommand,
      read(".devcontainer/post-create.sh"),
    ].join("\n");
    expect(expectCommandsExist(text)).toBeGreaterThanOrEqual(4);
    expect(read(".devcontainer/post-create.sh")).toContain("pnpm install --frozen-lockfile");
  });

  it("forwards the deck port and recommends the Marp and Docker extensions", () => {
    expect(config.forwardPorts).toContain(4100);
    expect(config.portsAttributes?.["4100"]?.onAutoForward).toBe("openPreview");
    expect(config.customizations.vscode.extensions).toEqual([
      "marp-team.marp-vscode",
      "ms-azuretools.vscode-docker",
    ]);
  });

  it("post-start.sh, which Ona's prepare-docker task runs too, checks docker compose and says how to get it", () => {
    const script = read(".devcontainer/post-start.sh");
    expect(script).toContain('compose_version="$(docker compose version --short 2>/dev/null)"');
    expect(script).toMatch(/problem "docker compose is missing[^"]*dockerDashComposeVersion v2/);
    expect(config.portsAttributes?.["8090"]?.label).toMatch(/compose/);
  });

  it("post-start.sh names only pnpm scripts that exist", () => {
    expect(expectCommandsExist(read(".devcontainer/post-start.sh"))).toBeGreaterThanOrEqual(2);
  });
});

describe(".ona/automations.yaml", () => {
  const automations = validate(automationsSchema, parseYaml(read(".ona/automations.yaml")));

  it("prepares Docker with the dev container's post-start script, compose check included", () => {
    expect(automations.tasks?.["prepare-docker"]?.command).toBe("bash .devcontainer/post-start.sh");
    expect(automations.tasks?.["prepare-docker"]?.description).toContain("docker compose");
  });

  it("has a setup task at prebuild and the deck as a service on port 4100", () => {
    expect(automations.tasks?.setup?.triggeredBy).toContain("prebuild");
    expect(automations.tasks?.setup?.command).toContain("pnpm install --frozen-lockfile");
    expect(automations.services?.deck?.commands.start).toBe("pnpm deck serve --port 4100");
    expect(automations.services?.deck?.commands.ready).toContain("4100");
  });

  it("names only commands and scripts that exist", () => {
    const text = [
      ...Object.values(automations.tasks ?? {}).map((task) => task.command),
      ...Object.values(automations.services ?? {}).flatMap((service) => Object.values(service.commands)),
    ].join("\n");
    expect(expectCommandsExist(text)).toBeGreaterThanOrEqual(4);
  });

  it("rejects a dependency on a task that does not exist", () => {
    const result = automationsSchema.safeParse({
      tasks: { a: { name: "A", triggeredBy: ["manual"], command: "true", dependsOn: ["b"] } },
    });
    expect(result.success ? [] : formatIssues(result.error)).toEqual(["tasks.a.dependsOn: no task named b"]);
  });
});

describe("docs/workspaces.md", () => {
  const text = read("docs/workspaces.md");

  it("has a button for each platform", () => {
    for (const needle of [
      "https://app.ona.com/#https://github.com/",
      "https://codespaces.new/",
      "https://vscode.dev/redirect?url=vscode://ms-vscode-remote.remote-containers/cloneInVolume?url=https://github.com/",
      "https://devpod.sh/open#https://github.com/",
      "https://gitpod.io/#https://github.com/",
    ]) {
      expect(text).toContain(needle);
    }
  });

  it("says plainly what Gitpod Classic cannot run", () => {
    expect(text).toMatch(/October 2025/);
    expect(text).toMatch(/multi-arch/);
    expect(text).toMatch(/host-network/);
  });
});
