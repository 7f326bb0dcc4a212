import { randomBytes } from "node:crypto";
import { networkFailure } from "@bct/errors";
import Docker from "dockerode";
import { BuildCacheClient } from "./build-cache.ts";
import { ComposeClient } from "./compose.ts";
import { ContainerClient } from "./containers.ts";
import {
  candidateEndpoints,
  type EndpointEnvironment,
  type EngineEndpoint,
  START_DOCKER_HINT,
} from "./endpoint.ts";
import { engineMessage, KitError } from "./errors.ts";
import { ImageArchiveClient } from "./image-archive.ts";
import { ImageClient } from "./images.ts";
import { LABEL, managedFilter, type SessionIdentity, sessionFilter } from "./labels.ts";
import { defaultEngineLog, type EngineLog } from "./log.ts";
import { NetworkClient } from "./networks.ts";
import { VolumeClient } from "./volumes.ts";

export interface ConnectOptions extends Partial<EndpointEnvironment> {
  /** Who the created resources belong to, e.g. "example:ports". */
  owner: string;
  sessionId?: string;
  pingTimeoutMs?: number;
  log?: EngineLog;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export interface CleanupReport {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
}

/** Finds the engine like the Docker CLI does, pings it, and returns a client bound to one labelled session. */
export async function connectEngine(options: ConnectOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  const candidates = candidateEndpoints({ ...options, env });
  const failures: string[] = [];
  for (const endpoint of candidates) {
    const docker = new Docker({ ...endpoint.options, timeout: options.pingTimeoutMs ?? 5000 });
    try {
      await docker.ping();
      const session: SessionIdentity = {
        id: options.sessionId ?? `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`,
        owner: options.owner,
      };
      // The ping timeout must not cap long builds and pulls: reconnect without it.
      return new Engine(
        new Docker(endpoint.options),
        endpoint,
        session,
        options.log ?? defaultEngineLog(env),
        env,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code && /^E[A-Z]+$/.test(code) ? networkFailure(error) : engineMessage(error);
      failures.push(`${endpoint.host} (${endpoint.source}): ${why}`);
    }
  }
  throw new KitError(
    "ENGINE_UNREACHABLE",
    `Cannot reach a Docker Engine. Tried:\n  ${failures.join("\n  ")}`,
    {
      hint: START_DOCKER_HINT,
    },
  );
}

/** One engine connection and one session: everything created through it is labelled and cleaned up together. */
export class Engine {
  readonly images: ImageClient;
  /** save/load of several images as one tarball. */
  readonly archives: ImageArchiveClient;
  readonly containers: ContainerClient;
  readonly networks: NetworkClient;
  readonly volumes: VolumeClient;
  readonly buildCache: BuildCacheClient;
  /** `docker compose` projects: run, and removed by their own project label at cleanup. */
  readonly compose: ComposeClient;

  private readonly docker: Docker;
  readonly endpoint: EngineEndpoint;
  readonly session: SessionIdentity;
  private readonly log: EngineLog;

  constructor(
    docker: Docker,
    endpoint: EngineEndpoint,
    session: SessionIdentity,
    log: EngineLog,
    env: Record<string, string | undefined> = process.env,
  ) {
    this.docker = docker;
    this.endpoint = endpoint;
    this.session = session;
    this.log = log;
    this.images = new ImageClient(docker, session, log, endpoint.host, env);
    this.archives = new ImageArchiveClient(docker, log);
    this.containers = new ContainerClient(docker, session, log);
    this.networks = new NetworkClient(docker, session, log);
    this.volumes = new VolumeClient(docker, session, log);
    this.buildCache = new BuildCacheClient(docker, log);
    this.compose = new ComposeClient(docker, endpoint.host, env, log);
  }

  async version(): Promise<EngineVersion> {
    const info = await this.docker.version();
    return { version: info.Version, apiVersion: info.ApiVersion, os: info.Os, arch: info.Arch };
  }

  /** Environment for a `docker` CLI subprocess, so it talks to this same engine. */
  cliEnvironment(base: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
    return { ...base, DOCKER_HOST: this.endpoint.host };
  }

  /** Removes everything this session created: its labelled resources and the Compose projects it ran. */
  async cleanup(): Promise<CleanupReport> {
    const report = await this.removeLabelled(sessionFilter(this.session.id));
    for (const project of this.compose.claimed()) {
      const removed = await this.compose.removeProject(project);
      report.containers.push(...removed.containers);
      report.networks.push(...removed.networks);
      report.volumes.push(...removed.volumes);
      report.images.push(...removed.images);
    }
    return report;
  }

  /** Removes everything any run of the kit created (`pnpm example clean`), and nothing else. */
  sweep(): Promise<CleanupReport> {
    return this.removeLabelled(managedFilter);
  }

  /** What the kit's label is on right now, for one session or for all. */
  async listLabelled(sessionId?: string): Promise<CleanupReport> {
    const filters = sessionId ? sessionFilter(sessionId) : managedFilter;
    const [containers, networks, volumes, images] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listNetworks({ filters }),
      this.docker.listVolumes({ filters }),
      this.docker.listImages({ all: false, filters }),
    ]);
    return {
      containers: containers.map((container) => (container.Names[0] ?? container.Id).replace(/^\//, "")),
      networks: networks.map((network) => network.Name),
      volumes: (volumes.Volumes ?? []).map((volume) => volume.Name),
      images: images.flatMap((image) => imageNames(image)),
    };
  }

  /**
   * Cleans up this session when the process is interrupted (Ctrl-C, SIGTERM), then calls `exit` (the CLI
   * layer's: the engine never ends the process). Returns a function that removes the handlers.
   */
  cleanupOnInterrupt(
    exit: (removed?: CleanupReport) => void,
    onInterrupted?: (signal: NodeJS.Signals) => void | Promise<void>,
  ): () => void {
    let interrupted = false;
    const handler = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = true;
      // A promise from onInterrupted is awaited first: it lets an engine call in flight finish creating
      // what it was creating, so the cleanup sees it. A build in flight is stopped and its buildx exits
      // before the cleanup, so no image it tags afterwards is left behind; so is a `docker compose` in flight.
      let removed: CleanupReport | undefined;
      Promise.resolve()
        .then(() => Promise.all([onInterrupted?.(signal), this.images.stopBuilds(), this.compose.stopAll()]))
        .catch(() => undefined)
        .then(() => this.cleanup())
        .then((report) => {
          removed = report;
        })
        .catch((error: unknown) =>
          process.stderr.write(`[ WARN ] cleanup after ${signal}: ${engineMessage(error)}\n`),
        )
        .finally(() => exit(removed));
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  }

  private async removeLabelled(filters: { label: string[] }): Promise<CleanupReport> {
    const report: CleanupReport = { containers: [], networks: [], volumes: [], images: [] };
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map(async (container) => {
        await this.containers.removeById(container.Id);
        report.containers.push((container.Names[0] ?? container.Id).replace(/^\//, ""));
      }),
    );
    for (const network of await this.docker.listNetworks({ filters })) {
      await this.networks.removeById(network.Id);
      report.networks.push(network.Name);
    }
    for (const volume of (await this.docker.listVolumes({ filters })).Volumes ?? []) {
      await this.volumes.removeByName(volume.Name);
      report.volumes.push(volume.Name);
    }
    for (const image of await this.docker.listImages({ all: false, filters })) {
      const names = imageNames(image);
      for (const name of names.length > 0 ? names : [image.Id]) {
        try {
          // noprune keeps the parent layers: the build cache of the next run (like BuildKit keeps its cache).
          await this.docker.getImage(name).remove({ force: true, noprune: true });
          report.images.push(name);
          this.log(`Removed image ${name}`);
        } catch (error) {
          this.log(`Could not remove image ${name}: ${engineMessage(error)}`);
        }
      }
    }
    return report;
  }
}

function imageNames(image: Docker.ImageInfo): string[] {
  return (image.RepoTags ?? []).filter((tag) => tag !== "<none>:<none>");
}

export function isEmptyReport(report: CleanupReport): boolean {
  return Object.values(report).every((list) => list.length === 0);
}

export { LABEL };
