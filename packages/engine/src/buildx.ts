import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { BuildProgress } from "./build-progress.ts";
import { KitError } from "./errors.ts";
import { type Environment, runQuietly } from "./multiarch-support.ts";

/** What one `docker buildx build` is asked to do. */
export interface BuildxInvocation {
  context: string;
  /** Path of the Dockerfile, relative to the context. */
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target: string | undefined;
  platform: string | undefined;
  labels: Record<string, string>;
}

export interface BuildxOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The image id from --iidfile, when the build succeeded. */
  imageId: string | undefined;
  progress: BuildProgress;
}

/**
 * The argv after `docker`: what the attendee's `docker build` runs, pinned to the engine's own builder
 * ("default" is the docker driver of the endpoint in DOCKER_HOST), with the kit's labels as --label.
 */
export function buildxArgs(invocation: BuildxInvocation, iidFile: string): string[] {
  const args = ["buildx", "build", "--builder", "default", "--progress=rawjson", "--load"];
  args.push("--iidfile", iidFile, "--file", join(invocation.context, invocation.dockerfile));
  for (const tag of invocation.tags) args.push("--tag", tag);
  for (const [name, value] of Object.entries(invocation.buildArgs))
    args.push("--build-arg", `${name}=${value}`);
  for (const [name, value] of Object.entries(invocation.labels)) args.push("--label", `${name}=${value}`);
  if (invocation.target) args.push("--target", invocation.target);
  if (invocation.platform) args.push("--platform", invocation.platform);
  args.push(invocation.context);
  return args;
}

/** The environment that points the docker CLI at `host` and nothing else (no other context or builder). */
export function buildxEnvironment(host: string, base: Environment): Environment {
  const env: Environment = { ...base, DOCKER_HOST: host };
  delete env.DOCKER_CONTEXT;
  delete env.BUILDX_BUILDER;
  return env;
}

/** How to install what `docker buildx build` needs, for every place the course runs. */
export const BUILDX_INSTALL_HINT = [
  "The kit builds images like `docker build` does, with the docker CLI and its buildx plugin:",
  "  Debian/Ubuntu:     sudo apt-get install docker-cli docker-buildx   (Docker's own repository: docker-ce-cli docker-buildx-plugin)",
  "  Docker Desktop:    both come with it; make sure `docker` is on PATH (restart the terminal after installing)",
  "  Dev container:     rebuild the container (its docker-in-docker feature installs both)",
  "Then check: docker buildx version",
].join("\n");

/** What is missing for builds: the docker CLI, its buildx plugin, or nothing. */
export async function missingBuildTools(env: Environment = process.env): Promise<string | undefined> {
  const cli = await runQuietly("docker", ["--version"], env);
  if (!cli.ok) return "the docker CLI (no `docker` command on PATH)";
  const buildx = await runQuietly("docker", ["buildx", "version"], env);
  if (!buildx.ok) return "the docker buildx plugin (`docker buildx version` fails)";
  return undefined;
}

export function buildToolsError(missing: string): KitError {
  return new KitError("REQUIREMENT_MISSING", `Cannot build images: ${missing}.`, {
    hint: BUILDX_INSTALL_HINT,
  });
}

const NOT_A_COMMAND = /unknown command: docker buildx|'buildx' is not a docker command/;

/** One running `docker buildx build`: its progress, and a way to stop it that waits until it has exited. */
export class BuildxProcess {
  private readonly child: ChildProcess;
  private readonly done: Promise<BuildxOutcome>;
  private spawnError: NodeJS.ErrnoException | undefined;
  /** Set once stop() was called: the build ended because it was asked to, not because it failed. */
  stopped = false;

  constructor(invocation: BuildxInvocation, env: Environment, onLine: (line: string) => void) {
    const workDir = mkdtempSync(join(tmpdir(), "bct-build-"));
    const iidFile = join(workDir, "iid");
    const progress = new BuildProgress(onLine);
    this.child = spawn("docker", buildxArgs(invocation, iidFile), {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const lines = createInterface({ input: this.child.stderr! });
    lines.on("line", (line) => progress.feed(line));
    const closed = new Promise<void>((resolve) => lines.once("close", resolve));
    this.done = new Promise((resolve) => {
      let finished = false;
      const finish = async (exitCode: number | null, signal: NodeJS.Signals | null) => {
        if (finished) return;
        finished = true;
        await closed;
        progress.finish();
        let imageId: string | undefined;
        try {
          imageId = readFileSync(iidFile, "utf8").trim() || undefined;
        } catch {
          imageId = undefined;
        }
        rmSync(workDir, { recursive: true, force: true });
        resolve({ exitCode, signal, imageId, progress });
      };
      this.child.once("error", (error: NodeJS.ErrnoException) => {
        this.spawnError = error;
        if (this.child.pid === undefined) void finish(null, null);
      });
      this.child.once("close", (exitCode, signal) => void finish(exitCode, signal));
    });
  }

  /** Resolves when buildx has exited; a missing docker CLI or plugin is a REQUIREMENT_MISSING error. */
  async result(): Promise<BuildxOutcome> {
    const outcome = await this.done;
    if (this.spawnError?.code === "ENOENT")
      throw buildToolsError("the docker CLI (no `docker` command on PATH)");
    if (outcome.progress.trailer().some((line) => NOT_A_COMMAND.test(line)))
      throw buildToolsError("the docker buildx plugin (`docker buildx` is not a command here)");
    return outcome;
  }

  /** Stops the build the way Ctrl-C stops buildx (it cancels the solve), then kills it if it lingers. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGINT");
      const killer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      await this.done;
      clearTimeout(killer);
    }
  }
}
