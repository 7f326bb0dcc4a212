import { type Engine, isManaged, KitError, LABEL } from "@bct/engine";
import type { LoadedExample } from "./loader.ts";
import { checkRequirements } from "./requirements.ts";
import { createdResources, type NamedResource } from "./steps/index.ts";

/** The host ports an example publishes, and those it binds directly on the host network. */
export function hostPortsOf(example: LoadedExample): number[] {
  const ports = example.manifest.steps.flatMap((step) =>
    step.kind === "run" ? (step.ports ?? []).map((port) => port.host) : [],
  );
  return [...new Set([...ports, ...(example.manifest.hostPorts ?? [])])];
}

/**
 * Before the first step: the docker CLI and buildx when the example builds, every host port the example
 * publishes must be free, and no container, network or volume it names may belong to someone else. Nothing is created or removed here.
 */
export async function preflight(example: LoadedExample, engine: Engine): Promise<void> {
  await checkRequirements(example, engine);
  if (example.manifest.steps.some((step) => step.kind === "build")) await engine.images.ensureBuildTools();
  const resources = example.manifest.steps.flatMap(createdResources);
  if (resources.some((resource) => resource.type === "project")) await engine.compose.ensureInstalled();
  for (const { type, name } of resources) {
    if (type === "project") {
      await projectIsFree(engine, name, example);
      continue;
    }
    const existing = await inspectNamed(engine, type, name);
    if (!existing) continue;
    if (!isManaged(existing.labels)) throw clash(type, name, example);
    const holder = existing.labels[LABEL.session];
    if (holder !== engine.session.id)
      throw new KitError(
        "NAME_CLASH",
        `Example ${example.name} creates a ${type} named '${name}', which another run of the kit holds (${existing.labels[LABEL.owner] ?? "unknown"}, session ${holder}); nothing of it was touched and nothing was started.`,
        {
          hint: `Let that run finish (or stop it with Ctrl-C), then run pnpm example ${example.name} again. If no run is going any more: pnpm example clean`,
        },
      );
  }
  for (const port of hostPortsOf(example)) {
    const holder = await engine.containers.findPortHolder(port);
    if (holder) {
      throw new KitError(
        "PORT_IN_USE",
        `Example ${example.name} ${example.manifest.hostPorts?.includes(port) ? "binds" : "publishes"} host port ${port}, which is already in use by ${holder.description}. Nothing was started.`,
        {
          hint: holder.description.startsWith("the kit's")
            ? "Another run of the kit holds it: let it finish (or stop it with Ctrl-C); if none is going any more, remove the leftovers with pnpm example clean."
            : `Stop what holds port ${port}, then run pnpm example ${example.name} again.`,
        },
      );
    }
  }
}

/** A Compose project of the example may not exist yet: its label would mark more than this run made. */
async function projectIsFree(engine: Engine, project: string, example: LoadedExample): Promise<void> {
  if (engine.compose.claimed().includes(project)) return;
  const existing = await engine.compose.resources(project);
  const names = Object.values(existing).flat();
  if (names.length === 0) return;
  throw new KitError(
    "NAME_CLASH",
    `Example ${example.name} runs Compose project '${project}', which already exists (${names.join(", ")}); it is left untouched and nothing was started.`,
    {
      hint: `If it is a leftover you no longer need: cd ${example.dir} && docker compose down -v --rmi local. Then run pnpm example ${example.name} again.`,
    },
  );
}

function inspectNamed(engine: Engine, type: Exclude<NamedResource["type"], "project">, name: string) {
  if (type === "container") return engine.containers.inspect(name);
  if (type === "network") return engine.networks.inspect(name);
  return engine.volumes.inspect(name);
}

const REMOVAL: Record<Exclude<NamedResource["type"], "project">, string> = {
  container: "docker rm -f",
  network: "docker network rm",
  volume: "docker volume rm",
};

function clash(
  kind: Exclude<NamedResource["type"], "project">,
  name: string,
  example: LoadedExample,
): KitError {
  const removal = `${REMOVAL[kind]} ${name}`;
  return new KitError(
    "NAME_CLASH",
    `Example ${example.name} creates a ${kind} named '${name}', but one already exists that this kit did not create; it is left untouched and nothing was started.`,
    {
      hint: `Remove or rename yours if you no longer need it (${removal}), then run pnpm example ${example.name} again.`,
    },
  );
}
