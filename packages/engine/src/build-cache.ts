import type Docker from "dockerode";
import { engineMessage, KitError } from "./errors.ts";
import type { EngineLog } from "./log.ts";

/** What BuildKit's cache holds on this engine: the layers and cache mounts of every build, anyone's. */
export interface BuildCacheUsage {
  entries: number;
  bytes: number;
  /** What no build or image uses right now: what a prune would free. */
  reclaimableBytes: number;
}

interface BuildCacheRecord {
  Size?: number;
  InUse?: boolean;
}

/**
 * BuildKit's build cache. Builds leave no dangling images: the cache holds their layers. It is shared by
 * every build on the engine (the attendee's own `docker build` too), so the kit only empties it when asked.
 */
export class BuildCacheClient {
  private readonly docker: Docker;
  private readonly log: EngineLog;

  constructor(docker: Docker, log: EngineLog) {
    this.docker = docker;
    this.log = log;
  }

  async usage(): Promise<BuildCacheUsage> {
    const records = await this.records();
    const bytes = records.reduce((sum, record) => sum + (record.Size ?? 0), 0);
    const reclaimableBytes = records
      .filter((record) => !record.InUse)
      .reduce((sum, record) => sum + (record.Size ?? 0), 0);
    return { entries: records.length, bytes, reclaimableBytes };
  }

  /** The cache's records; a build running meanwhile can drop one while it is counted, so that is retried. */
  private async records(attempts = 3): Promise<BuildCacheRecord[]> {
    try {
      const df = (await (this.docker.df as (options: object) => Promise<unknown>).call(this.docker, {
        type: ["build-cache"],
      })) as { BuildCache?: BuildCacheRecord[] | null };
      return df.BuildCache ?? [];
    } catch (error) {
      if (attempts > 1 && /does not exist|not found/i.test(engineMessage(error)))
        return this.records(attempts - 1);
      throw new KitError("ENGINE_ERROR", `Could not read the build cache's size: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  /** Empties what no build uses right now, like `docker builder prune --all --force`. */
  async prune(): Promise<{ reclaimedBytes: number }> {
    this.log("Pruning the build cache…");
    try {
      const answer = (await (this.docker.pruneBuilder as (options: object) => Promise<unknown>).call(
        this.docker,
        { all: true },
      )) as { SpaceReclaimed?: number };
      this.log("Pruned the build cache");
      return { reclaimedBytes: answer.SpaceReclaimed ?? 0 };
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not prune the build cache: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }
}
