import type Docker from "dockerode";
import { engineMessage, engineStatusCode, KitError } from "./errors.ts";
import { isManaged, labelsFor, type SessionIdentity } from "./labels.ts";
import type { EngineLog } from "./log.ts";

export interface VolumeDetails {
  name: string;
  driver: string;
  mountpoint: string;
  labels: Record<string, string>;
  createdAt: string | undefined;
}

/** Named volumes: create (labelled), inspect, remove (only ours). */
export class VolumeClient {
  private readonly docker: Docker;
  private readonly session: SessionIdentity;
  private readonly log: EngineLog;

  constructor(docker: Docker, session: SessionIdentity, log: EngineLog) {
    this.docker = docker;
    this.session = session;
    this.log = log;
  }

  async create(name: string): Promise<VolumeDetails> {
    const existing = await this.inspect(name);
    if (existing && !isManaged(existing.labels)) {
      throw new KitError(
        "NAME_CLASH",
        `A volume named '${name}' already exists and was not created by this kit; it is left untouched.`,
        { hint: `Remove it yourself if you no longer need its data: docker volume rm ${name}` },
      );
    }
    if (existing) {
      this.log(`Replacing leftover volume ${name} of an earlier run`);
      await this.removeByName(name);
    }
    this.log(`Creating volume ${name}…`);
    try {
      await this.docker.createVolume({ Name: name, Labels: labelsFor(this.session) });
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not create volume ${name}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
    return (await this.inspect(name))!;
  }

  async inspect(name: string): Promise<VolumeDetails | undefined> {
    try {
      const info = (await this.docker.getVolume(name).inspect()) as {
        Name: string;
        Driver: string;
        Mountpoint: string;
        Labels?: Record<string, string> | null;
        CreatedAt?: string;
      };
      return {
        name: info.Name,
        driver: info.Driver,
        mountpoint: info.Mountpoint,
        labels: info.Labels ?? {},
        createdAt: info.CreatedAt,
      };
    } catch (error) {
      if (engineStatusCode(error) === 404) return undefined;
      throw new KitError("ENGINE_ERROR", `Could not inspect volume ${name}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  async remove(name: string): Promise<void> {
    const existing = await this.inspect(name);
    if (!existing) return;
    if (!isManaged(existing.labels)) {
      throw new KitError("NOT_MANAGED", `Volume ${name} was not created by this kit; it is left untouched.`);
    }
    await this.removeByName(name);
  }

  async removeByName(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove({ force: true });
      this.log(`Removed volume ${name}`);
    } catch (error) {
      if (engineStatusCode(error) !== 404) {
        throw new KitError("ENGINE_ERROR", `Could not remove volume ${name}: ${engineMessage(error)}`, {
          cause: error,
        });
      }
    }
  }
}
