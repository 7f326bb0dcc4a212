import { type ChildProcess, spawn } from "node:child_process";
import type Docker from "dockerode";
import { engineMessage, KitError } from "./errors.ts";
import type { EngineLog } from "./log.ts";
import { type Environment, runQuietly } from "./multiarch-support.ts";

/** The label Compose puts on every container, network, volume and image of a project. */
export const COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

/** Variables of the caller's shell that would change which files or project `docker compose` uses. */
export const COMPOSE_OVERRIDES = ["COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES"] as const;

/** How to install what `docker compose` needs, for every place the course runs. */
export const COMPOSE_INSTALL_HINT = [
  "The kit runs multi-container examples with the docker CLI's Compose plugin (Compose v2, `docker compose`):",
  "  Debian 13+:        sudo apt-get install docker-compose   (Ubuntu 24.04+: docker-compose-v2; Docker's own repository: docker-compose-plugin)",
  "  Docker Desktop:    it comes with it",
  "  Dev container:     rebuild the container (its docker-in-docker feature installs it)",
  "Then check: docker compose version",
].join("\n");

export interface ComposeInvocation {
  /** The project's folder: where compose.yaml is and where the command runs. */
  dir: string;
  /** The project name the compose file declares (`name:`): what is cleaned up by its label. */
  project: string;
  /** The argv after `docker compose`. */
  args: string[];
  /** Variables the compose file interpolates (GREETING=Hi docker compose up). */
  env?: Record<string, string>;
  timeoutMs: number;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  /**
   * For a command that does not end by itself (`logs -f`): checked on the output so far, every 250 ms; when
   * it returns true the command is stopped, as Ctrl-C stops it, and the outcome is `stopped`.
   */
  stopWhen?: (outcome: ComposeOutcome) => boolean;
}

export interface ComposeOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Ended by stopWhen or by its time limit (a follow), not by itself. */
  stopped: boolean;
}

export interface ProjectResources {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
}

/**
 * `docker compose`, run as a subprocess pointed at the engine's endpoint. Every project it runs is claimed
 * for this session first (nothing of it may exist yet), and the session's cleanup removes whatever carries
 * the project's label.
 */
export class ComposeClient {
  private readonly docker: Docker;
  private readonly host: string;
  private readonly env: Environment;
  private readonly log: EngineLog;
  private readonly projects = new Set<string>();
  private readonly running = new Set<ChildProcess>();

  constructor(docker: Docker, host: string, env: Environment, log: EngineLog) {
    this.docker = docker;
    this.host = host;
    this.env = env;
    this.log = log;
  }

  /** The environment of a `docker compose` subprocess: this engine, and none of the caller's overrides. */
  environment(extra: Record<string, string> = {}): Environment {
    const env: Environment = { ...this.env, ...extra, DOCKER_HOST: this.host };
    delete env.DOCKER_CONTEXT;
    for (const name of COMPOSE_OVERRIDES) delete env[name];
    return env;
  }

  /** What is missing to run Compose: the docker CLI, its compose plugin, or nothing. */
  async missing(): Promise<string | undefined> {
    const cli = await runQuietly("docker", ["--version"], this.environment());
    if (!cli.ok) return "the docker CLI (no `docker` command on PATH)";
    const compose = await runQuietly("docker", ["compose", "version", "--short"], this.environment());
    if (!compose.ok) return "the docker compose plugin (`docker compose version` fails)";
    return undefined;
  }

  async ensureInstalled(): Promise<void> {
    const missing = await this.missing();
    if (missing)
      throw new KitError("REQUIREMENT_MISSING", `Cannot run Compose: ${missing}.`, {
        hint: COMPOSE_INSTALL_HINT,
      });
  }

  /** The projects this session has run. */
  claimed(): string[] {
    return [...this.projects];
  }

  /** Runs `docker compose <args>` in the project's folder, streaming and collecting its output. */
  async run(invocation: ComposeInvocation): Promise<ComposeOutcome> {
    await this.claim(invocation.dir, invocation.project);
    this.log(`docker compose ${invocation.args.join(" ")} (project ${invocation.project})`);
    return this.spawn(invocation);
  }

  /** Everything that carries the project's label now. */
  async resources(project: string): Promise<ProjectResources> {
    const filters = { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] };
    try {
      const [containers, networks, volumes, images] = await Promise.all([
        this.docker.listContainers({ all: true, filters }),
        this.docker.listNetworks({ filters }),
        this.docker.listVolumes({ filters }),
        this.docker.listImages({ filters }),
      ]);
      return {
        containers: containers.map((container) => (container.Names[0] ?? container.Id).replace(/^\//, "")),
        networks: networks.map((network) => network.Name),
        volumes: (volumes.Volumes ?? []).map((volume) => volume.Name),
        images: images.flatMap((image) => {
          const tags = (image.RepoTags ?? []).filter((tag) => tag !== "<none>:<none>");
          return tags.length > 0 ? tags : [image.Id];
        }),
      };
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not list project ${project}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  /** Removes what carries the label of a project this session claimed; another project is refused. */
  async removeProject(project: string): Promise<ProjectResources> {
    if (!this.projects.has(project))
      throw new KitError(
        "NOT_MANAGED",
        `Compose project ${project} was not started by this run; it is left untouched.`,
      );
    const found = await this.resources(project);
    const filters = { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] };
    const quiet = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
        this.log(`Removed ${what}`);
      } catch (error) {
        this.log(`Could not remove ${what}: ${engineMessage(error)}`);
      }
    };
    for (const container of await this.docker.listContainers({ all: true, filters }))
      await quiet(`container ${container.Names[0] ?? container.Id}`, () =>
        this.docker.getContainer(container.Id).remove({ force: true, v: true }),
      );
    for (const network of await this.docker.listNetworks({ filters }))
      await quiet(`network ${network.Name}`, () => this.docker.getNetwork(network.Id).remove());
    for (const volume of (await this.docker.listVolumes({ filters })).Volumes ?? [])
      await quiet(`volume ${volume.Name}`, () => this.docker.getVolume(volume.Name).remove());
    for (const image of await this.docker.listImages({ filters }))
      await quiet(`image ${image.RepoTags?.[0] ?? image.Id}`, () =>
        this.docker.getImage(image.Id).remove({ force: true, noprune: true }),
      );
    return found;
  }

  /** Stops every `docker compose` in flight, as Ctrl-C would, and waits until they have exited. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => stopChild(child)));
  }

  /**
   * A project is this session's once its compose file is known to declare that name and nothing of it
   * exists yet: then its label marks only what this run made.
   */
  private async claim(dir: string, project: string): Promise<void> {
    if (this.projects.has(project)) return;
    await this.ensureInstalled();
    const config = await runQuietly(
      "docker",
      ["compose", "--project-directory", dir, "config", "--format", "json", "--no-interpolate"],
      this.environment(),
    );
    if (!config.ok)
      throw new KitError("INVALID_INPUT", `docker compose config in ${dir} failed: ${config.stderr.trim()}`);
    const declared = (JSON.parse(config.stdout) as { name?: string }).name;
    if (declared !== project)
      throw new KitError(
        "INVALID_INPUT",
        `The compose file in ${dir} names project ${declared ?? "(none)"}, but the step says ${project}.`,
        { hint: "Give the compose file a top-level name: equal to the steps' project." },
      );
    const existing = await this.resources(project);
    const names = Object.entries(existing).flatMap(([type, list]) =>
      list.map((name: string) => `${type.replace(/s$/, "")} ${name}`),
    );
    if (names.length > 0)
      throw new KitError(
        "NAME_CLASH",
        `Compose project ${project} already exists (${names.join(", ")}); it is left untouched and nothing was started.`,
        {
          hint: `If it is yours and you no longer need it: docker compose -p ${project} down -v --rmi local (in the example's folder), then run the example again.`,
        },
      );
    this.projects.add(project);
  }

  private spawn(invocation: ComposeInvocation): Promise<ComposeOutcome> {
    return new Promise((resolve, reject) => {
      const child = spawn("docker", ["compose", ...invocation.args], {
        cwd: invocation.dir,
        env: this.environment(invocation.env) as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      this.running.add(child);
      const stdout: string[] = [];
      const stderr: string[] = [];
      let stopped = false;
      let timedOut = false;
      const soFar = (): ComposeOutcome => ({
        exitCode: 0,
        stdout: stdout.join(""),
        stderr: stderr.join(""),
        stopped: true,
      });
      const timer = setTimeout(() => {
        if (invocation.stopWhen) stopped = true;
        else timedOut = true;
        void stopChild(child);
      }, invocation.timeoutMs);
      const poll = invocation.stopWhen
        ? setInterval(() => {
            if (!stopped && invocation.stopWhen!(soFar())) {
              stopped = true;
              void stopChild(child);
            }
          }, 250)
        : undefined;
      child.stdout.on("data", (chunk: Buffer) => {
        stdout.push(chunk.toString());
        invocation.onStdout?.(chunk.toString());
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr.push(chunk.toString());
        invocation.onStderr?.(chunk.toString());
      });
      const settle = () => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        this.running.delete(child);
      };
      child.on("error", (error: NodeJS.ErrnoException) => {
        settle();
        reject(
          error.code === "ENOENT"
            ? new KitError("REQUIREMENT_MISSING", "Cannot run Compose: no `docker` command on PATH.", {
                hint: COMPOSE_INSTALL_HINT,
              })
            : new KitError("COMMAND_FAILED", `Could not start docker compose: ${error.message}`, {
                cause: error,
              }),
        );
      });
      child.on("close", (code, signal) => {
        settle();
        if (timedOut) {
          reject(
            new KitError(
              "TIMEOUT",
              `docker compose ${invocation.args.join(" ")} ran longer than ${Math.round(invocation.timeoutMs / 1000)} s and was stopped.`,
            ),
          );
          return;
        }
        if (stopped) {
          resolve(soFar());
          return;
        }
        resolve({
          exitCode: code ?? (signal ? 128 : 1),
          stdout: stdout.join(""),
          stderr: stderr.join(""),
          stopped: false,
        });
      });
    });
  }
}

/** Ctrl-C for a compose process (it stops what it was doing cleanly), then SIGKILL if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("close", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGINT");
  });
}
