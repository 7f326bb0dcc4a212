import { assertManaged, claimName } from "./claim.ts";
import { engineMessage, engineStatusCode, KitError } from "./errors.ts";
import { labelsFor } from "./labels.ts";
import { SessionClient } from "./session-client.ts";

export interface NetworkDetails {
  id: string;
  name: string;
  driver: string;
  labels: Record<string, string>;
  containers: string[];
}

const BUILT_IN = new Set(["bridge", "host", "none"]);

/** User-defined networks: create (labelled), inspect, remove (only ours). */
export class NetworkClient extends SessionClient {
  async create(name: string, driver = "bridge"): Promise<NetworkDetails> {
    const existing = await this.inspect(name);
    const detail = existing && existing.id.slice(0, 12);
    if (
      claimName("network", name, existing && { labels: existing.labels, detail }, this.session) === "replace"
    ) {
      this.log(`Replacing leftover network ${name} of this run`);
      await this.removeById(existing!.id);
    }
    this.log(`Creating network ${name}…`);
    try {
      await this.docker.createNetwork({ Name: name, Driver: driver, Labels: labelsFor(this.session) });
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not create network ${name}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
    return (await this.inspect(name))!;
  }

  async inspect(name: string): Promise<NetworkDetails | undefined> {
    try {
      const info = (await this.docker.getNetwork(name).inspect()) as {
        Id: string;
        Name: string;
        Driver: string;
        Labels?: Record<string, string>;
        Containers?: Record<string, { Name: string }>;
      };
      return {
        id: info.Id,
        name: info.Name,
        driver: info.Driver,
        labels: info.Labels ?? {},
        containers: Object.values(info.Containers ?? {}).map((container) => container.Name),
      };
    } catch (error) {
      if (engineStatusCode(error) === 404) return undefined;
      throw new KitError("ENGINE_ERROR", `Could not inspect network ${name}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  async remove(name: string): Promise<void> {
    if (BUILT_IN.has(name))
      throw new KitError("NOT_MANAGED", `The ${name} network is built in; it is never removed.`);
    const existing = await this.inspect(name);
    if (!existing) return;
    assertManaged("network", name, existing.labels);
    await this.removeById(existing.id);
  }

  async removeById(id: string): Promise<void> {
    try {
      await this.docker.getNetwork(id).remove();
      this.log(`Removed network ${id.slice(0, 12)}`);
    } catch (error) {
      if (engineStatusCode(error) !== 404) {
        throw new KitError(
          "ENGINE_ERROR",
          `Could not remove network ${id.slice(0, 12)}: ${engineMessage(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  }
}
