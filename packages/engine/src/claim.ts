import { KitError } from "./errors.ts";
import { isManaged, LABEL, type SessionIdentity } from "./labels.ts";

export type ResourceType = "container" | "network" | "volume";

const REMOVE: Record<ResourceType, string> = {
  container: "docker rm -f",
  network: "docker network rm",
  volume: "docker volume rm",
};

/**
 * Whether a name this session wants to create may be taken over. A leftover of this very session is
 * replaced ("replace"); a resource of another run of the kit or of the user is an error that names its
 * holder and says nothing of it was touched.
 */
export function claimName(
  type: ResourceType,
  name: string,
  existing: { labels: Record<string, string>; detail?: string } | undefined,
  session: SessionIdentity,
): "free" | "replace" {
  if (!existing) return "free";
  const detail = existing.detail ? ` (${existing.detail})` : "";
  if (!isManaged(existing.labels))
    throw new KitError(
      "NAME_CLASH",
      `A ${type} named '${name}' already exists${detail} and was not created by this kit; it is left untouched.`,
      { hint: `Remove or rename it yourself if you no longer need it: ${REMOVE[type]} ${name}` },
    );
  const holder = existing.labels[LABEL.session];
  if (holder === session.id) return "replace";
  throw new KitError(
    "NAME_CLASH",
    `The ${type} name '${name}' is held by another run of the kit (${existing.labels[LABEL.owner] ?? "unknown"}, session ${holder ?? "unknown"})${detail}; nothing of it was touched.`,
    {
      hint: "Let that run finish (or stop it with Ctrl-C), then try again. If no run is going any more, remove the kit's leftovers with: pnpm example clean",
    },
  );
}

/** Removing or changing a resource by name: only one the kit created. */
export function assertManaged(type: ResourceType, name: string, labels: Record<string, string>): void {
  if (!isManaged(labels)) {
    const noun = `${type[0]!.toUpperCase()}${type.slice(1)}`;
    throw new KitError("NOT_MANAGED", `${noun} ${name} was not created by this kit; it is left untouched.`);
  }
}
