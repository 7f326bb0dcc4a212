import { type Engine, isManaged, KitError } from "@bct/engine";
import type { LoadedExample } from "./loader.ts";
import { checkRequirements } from "./requirements.ts";

/** The host ports an example publishes, and those it binds directly on the host network. */
export function hostPortsOf(example: LoadedExample): number[] {
  const ports = example.manifest.steps.flatMap((step) =>
    step.kind === "run" ? (step.ports ?? []).map((port) => port.host) : [],
  );
  return [...new Set([...ports, ...(example.manifest.hostPorts ?? [])])];
}

/**
 * Before the first step: the docker CLI and buildx when the example builds, every host port the example publishes must be free, and no container, network or
 * volume it names may belong to someone else. Nothing is created or removed here.
 */
export async function preflight(example: LoadedExample, engine: Engine): Promise<void> {
  await checkRequirements(example, engine);
  if (example.manifest.steps.some((step) => step.kind === "build")) await engine.images.ensureBuildTools();
  for (const port of hostPortsOf(example)) {
    const holder = await engine.containers.findPortHolder(port);
    if (holder) {
      throw new KitError(
        "PORT_IN_USE",
        `Example ${example.name} ${example.manifest.hostPorts?.includes(port) ? "binds" : "publishes"} host port ${port}, which is already in use by ${holder.description}. Nothing was started.`,
        {
          hint: holder.description.startsWith("the kit's")
            ? "A kit container from an earlier run holds it: remove it with pnpm example clean, then try again."
            : `Stop what holds port ${port}, then run pnpm example ${example.name} again.`,
        },
      );
    }
  }
  for (const step of example.manifest.steps) {
    if (step.kind === "run" && step.name) {
      const existing = await engine.containers.inspect(step.name);
      if (existing && !isManaged(existing.labels))
        throw clash("container", step.name, `docker rm -f ${step.name}`, example);
    }
    if (step.kind === "network-create") {
      const existing = await engine.networks.inspect(step.name);
      if (existing && !isManaged(existing.labels))
        throw clash("network", step.name, `docker network rm ${step.name}`, example);
    }
    if (step.kind === "volume-create") {
      const existing = await engine.volumes.inspect(step.name);
      if (existing && !isManaged(existing.labels))
        throw clash("volume", step.name, `docker volume rm ${step.name}`, example);
    }
  }
}

function clash(kind: string, name: string, removal: string, example: LoadedExample): KitError {
  return new KitError(
    "NAME_CLASH",
    `Example ${example.name} creates a ${kind} named '${name}', but one already exists that this kit did not create; it is left untouched and nothing was started.`,
    {
      hint: `Remove or rename yours if you no longer need it (${removal}), then run pnpm example ${example.name} again.`,
    },
  );
}
