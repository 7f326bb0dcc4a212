import { assertManaged, claimName } from "./claim.ts";
import { engineMessage, engineStatusCode, KitError } from "./errors.ts";
import { labelsFor } from "./labels.ts";
import { SessionClient } from "./session-client.ts";

export interface VolumeDetails {
  name: string;
  driver: string;
  mountpoint: string;
  labels: Record<string, string>;
  createdAt: string | undefined;
  /** The engine's own answer, keys and order as `docker volume inspect` prints them. */
  raw: Record<string, unknown>;
}

/** Named volumes: create (labelled), inspect, remove (only ours). */
export class VolumeClient extends SessionClient {
  async create(name: string): Promise<VolumeDetails> {
    const existing = await this.inspect(name);
    if (claimName("volume", name, existing, this.session) === "replace") {
      this.log(`Replacing leftover volume ${name} of this run`);
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
      const info = (await this.docker.getVolume(name).inspect()) as unknown as Record<string, unknown> & {
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
        raw: info,
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
    assertManaged("volume", name, existing.labels);
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
