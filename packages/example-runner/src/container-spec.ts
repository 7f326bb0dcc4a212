import type { ContainerSpec } from "@bct/engine";
import { type PlaceholderValues, substitute } from "./placeholders.ts";
import type { RunStep } from "./steps/run.ts";

const UNIT: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "64m" → bytes, as `docker run --memory` reads it. */
export function parseMemory(text: string): number {
  const match = /^(\d+)([bkmg])$/.exec(text);
  if (!match) throw new Error(`not a memory size: ${text}`);
  return Number(match[1]) * UNIT[match[2]!]!;
}

/** A run step as the engine's ContainerSpec; mount sources get the placeholder values given. */
export function toContainerSpec(step: RunStep, values: PlaceholderValues): ContainerSpec {
  return {
    image: step.image,
    name: step.name,
    command: step.command,
    entrypoint: step.entrypoint,
    env: step.env,
    ports: step.ports?.map((port) => ({ host: port.host, container: port.container, hostIp: port.hostIp })),
    mounts: step.mounts?.map((mount) => ({
      type: mount.type,
      source:
        mount.source === undefined
          ? ""
          : mount.type === "bind"
            ? substitute(mount.source, values)
            : mount.source,
      target: mount.target,
      readOnly: mount.readOnly,
    })),
    network: step.network,
    networkAliases: step.networkAliases,
    user: step.user,
    workdir: step.workdir,
    readOnlyRootfs: step.readOnly,
    capDrop: step.capDrop,
    capAdd: step.capAdd,
    noNewPrivileges: step.noNewPrivileges,
    limits: step.limits
      ? {
          memoryBytes: step.limits.memory ? parseMemory(step.limits.memory) : undefined,
          cpus: step.limits.cpus,
          pids: step.limits.pids,
        }
      : undefined,
    platform: step.platform,
  };
}
