/** An image reference taken apart: [registry[:port]/]path[:tag][@digest]. */
export interface ImageReference {
  /** Everything before the tag and digest, e.g. "localhost:5000/app" or "alpine". */
  repository: string;
  /** The tag when one is written; a reference with neither tag nor digest means "latest" to docker. */
  tag: string | undefined;
  /** "sha256:…" when the reference pins a digest. */
  digest: string | undefined;
}

export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf("@");
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const colon = named.lastIndexOf(":");
  // A colon before the last slash belongs to a registry's port (localhost:5000/app).
  if (colon > named.lastIndexOf("/"))
    return { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest };
  return { repository: named, tag: undefined, digest };
}

/** The tag docker uses: the written one, "latest" for a bare name, none for a digest-only reference. */
export function effectiveTag(reference: string): string | undefined {
  const { tag, digest } = parseImageReference(reference);
  return tag ?? (digest ? undefined : "latest");
}

/** docker.io/library/alpine:3.24 and library/alpine:3.24 are alpine:3.24, as docker images shows them. */
export function normalizeReference(reference: string): string {
  return reference
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "")
    .replace(/^library\//, "");
}

/** The full name docker pull ends with: alpine:3.24 is docker.io/library/alpine:3.24, a bare name gets :latest. */
export function canonicalReference(reference: string): string {
  const { repository, tag, digest } = parseImageReference(reference);
  const first = repository.split("/")[0]!;
  const hasRegistry =
    repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const path = hasRegistry
    ? repository
    : `docker.io/${repository.includes("/") ? repository : `library/${repository}`}`;
  return `${path}${tag !== undefined || !digest ? `:${tag ?? "latest"}` : ""}${digest ? `@${digest}` : ""}`;
}

/** Why an upstream image reference is not pinned, or undefined when it is (a digest always pins). */
export function unpinnedReason(reference: string): string | undefined {
  const { repository, tag, digest } = parseImageReference(reference);
  if (digest) return undefined;
  if (tag === undefined)
    return `pin a tag (${reference}:<version>): an unpinned image changes under the course`;
  if (tag === "latest" && repository !== "hello-world")
    return "pin a version, not latest (only hello-world publishes no version tags)";
  return undefined;
}
