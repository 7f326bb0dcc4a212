import { createHash, type Hash } from "node:crypto";
import type { Bundle } from "./image-bundles.ts";

/**
 * What a bundle's tar holds, read while it downloads (before the engine sees a byte): each entry's name,
 * size and sha256, and the content of the small JSON files that name images and point at blobs.
 */
interface Entry {
  size: number;
  sha256: string;
  content?: Buffer;
}

const BLOCK = 512;
/** Small files are kept to read them: indexes, manifests and configs are a few kB. */
const KEEP_UP_TO = 64 * 1024;
const KEEP_AT_MOST = 4 * 1024 * 1024;
const FILE_NAMES = /^(blobs\/sha256\/[0-9a-f]{64}|index\.json|manifest\.json|oci-layout|repositories)$/;
const DIRECTORY_NAMES = /^blobs\/(sha256\/)?$/;

/** A streaming reader of the tar that `docker save` writes; the first thing out of place is `problem`. */
export class BundleArchiveReader {
  readonly entries = new Map<string, Entry>();
  problem: string | undefined;
  private header = Buffer.alloc(0);
  private current: { name: string; size: number; left: number; hash: Hash; parts?: Buffer[] } | undefined;
  private padding = 0;
  private ended = false;
  private kept = 0;

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.problem === undefined) {
      if (this.current) {
        const take = Math.min(this.current.left, chunk.length - offset);
        const part = chunk.subarray(offset, offset + take);
        this.current.hash.update(part);
        this.current.parts?.push(Buffer.from(part));
        this.current.left -= take;
        offset += take;
        if (this.current.left === 0) this.finishEntry();
      } else if (this.padding > 0) {
        const skip = Math.min(this.padding, chunk.length - offset);
        this.padding -= skip;
        offset += skip;
      } else if (this.ended) {
        // Zero blocks after the end marker are allowed; anything else is not.
        if (chunk.subarray(offset).some((byte) => byte !== 0)) this.problem = "it has data after its end";
        return;
      } else {
        const take = Math.min(BLOCK - this.header.length, chunk.length - offset);
        this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
        offset += take;
        if (this.header.length === BLOCK) {
          const block = this.header;
          this.header = Buffer.alloc(0);
          this.readHeader(block);
        }
      }
    }
  }

  /** The problem, if any, once every byte has been written. */
  end(): string | undefined {
    if (this.problem === undefined && (this.current || this.header.length > 0 || this.padding > 0))
      this.problem = "it ends in the middle of an entry";
    if (this.problem === undefined && this.entries.size === 0) this.problem = "it holds nothing";
    return this.problem;
  }

  private readHeader(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      this.ended = true;
      return;
    }
    const text = (start: number, length: number) => {
      const field = block.subarray(start, start + length);
      const zero = field.indexOf(0);
      return field.subarray(0, zero === -1 ? length : zero).toString("utf8");
    };
    let sum = 0;
    for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 0x20 : block[index]!;
    if (Number.parseInt(text(148, 8).trim(), 8) !== sum) {
      this.problem = "it is not a tar archive (a header checksum is wrong)";
      return;
    }
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const type = text(156, 1) || "0";
    const sizeField = text(124, 12).trim();
    if (!/^[0-7]*$/.test(sizeField)) {
      this.problem = `the size of ${JSON.stringify(name)} is not readable`;
      return;
    }
    const size = sizeField === "" ? 0 : Number.parseInt(sizeField, 8);
    const shown = JSON.stringify(name.slice(0, 120));
    if (type === "5" && DIRECTORY_NAMES.test(name) && size === 0) return;
    if (type !== "0") {
      this.problem = `it holds ${shown} of tar type ${JSON.stringify(type)}, not a plain file`;
      return;
    }
    if (!FILE_NAMES.test(name)) {
      this.problem = `it holds ${shown}, which a saved image does not`;
      return;
    }
    if (this.entries.has(name)) {
      this.problem = `it holds ${shown} twice`;
      return;
    }
    const keep = size <= KEEP_UP_TO && this.kept + size <= KEEP_AT_MOST;
    if (keep) this.kept += size;
    this.current = { name, size, left: size, hash: createHash("sha256"), ...(keep ? { parts: [] } : {}) };
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const entry = this.current!;
    this.current = undefined;
    this.padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    const sha256 = entry.hash.digest("hex");
    if (entry.name.startsWith("blobs/sha256/") && entry.name.slice(13) !== sha256) {
      this.problem = `its blob ${entry.name.slice(13, 25)}… does not hash to its name`;
      return;
    }
    this.entries.set(entry.name, {
      size: entry.size,
      sha256,
      ...(entry.parts ? { content: Buffer.concat(entry.parts) } : {}),
    });
  }
}

/** A reference as the engine names it: `alpine:3.24` is `docker.io/library/alpine:3.24`. */
export function fullReference(ref: string): string {
  const slash = ref.indexOf("/");
  const first = slash === -1 ? "" : ref.slice(0, slash);
  const hasDomain = first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  let name = hasDomain ? ref : `docker.io/${slash === -1 ? `library/${ref}` : ref}`;
  const lastPart = name.slice(name.lastIndexOf("/") + 1);
  if (!lastPart.includes(":") && !name.includes("@")) name += ":latest";
  return name;
}

interface Descriptor {
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

function descriptors(value: unknown): Descriptor[] {
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  const listed = [
    ...(Array.isArray(record.manifests) ? record.manifests : []),
    ...(Array.isArray(record.layers) ? record.layers : []),
    ...(record.config ? [record.config] : []),
  ];
  return listed.filter(
    (item): item is Descriptor =>
      typeof item === "object" &&
      item !== null &&
      typeof (item as Descriptor).digest === "string" &&
      typeof (item as Descriptor).size === "number",
  );
}

function json(entry: Entry | undefined, name: string): unknown {
  if (!entry?.content) throw new Error(`its ${name} is missing or too large`);
  try {
    return JSON.parse(entry.content.toString("utf8"));
  } catch {
    throw new Error(`its ${name} is not JSON`);
  }
}

/**
 * Why the archive is not exactly the announced image, or undefined when it is: one image in index.json,
 * with the announced id; every name it gives (index.json, manifest.json, repositories) is the announced
 * reference; every blob it points at that is present has the size it declares.
 */
export function archiveMismatch(reader: BundleArchiveReader, bundle: Bundle): string | undefined {
  const wanted = fullReference(bundle.ref);
  const tag = bundle.ref.includes("@") ? undefined : wanted.slice(wanted.lastIndexOf(":") + 1);
  const blob = (digest: string) => reader.entries.get(`blobs/sha256/${digest.replace(/^sha256:/, "")}`);
  try {
    const index = json(reader.entries.get("index.json"), "index.json");
    const top = descriptors(index);
    if (top.length !== 1 || (index as { manifests?: unknown[] }).manifests?.length !== 1)
      return `its index.json lists ${top.length} images, not the one announced`;
    const image = top[0]!;
    if (image.digest !== bundle.imageId)
      return `its image is ${image.digest}, not ${bundle.imageId} as announced`;
    for (const [key, value] of Object.entries(image.annotations ?? {})) {
      if (key === "io.containerd.image.name" && fullReference(value) !== wanted)
        return `it names the image ${JSON.stringify(value)}, not ${bundle.ref}`;
      if (key === "org.opencontainers.image.ref.name" && value !== tag && fullReference(value) !== wanted)
        return `it names the image ${JSON.stringify(value)}, not ${bundle.ref}`;
    }
    if (reader.entries.has("manifest.json")) {
      const manifest = json(reader.entries.get("manifest.json"), "manifest.json");
      if (!Array.isArray(manifest) || manifest.length > 1)
        return "its manifest.json does not describe one image";
      const repoTags = (manifest[0] as { RepoTags?: unknown } | undefined)?.RepoTags ?? [];
      if (!Array.isArray(repoTags)) return "its manifest.json has RepoTags that are not a list";
      for (const repoTag of repoTags) {
        if (typeof repoTag !== "string" || fullReference(repoTag) !== wanted)
          return `it tags ${JSON.stringify(repoTag)} too, not only ${bundle.ref}`;
      }
    }
    if (reader.entries.has("repositories")) {
      const repositories = json(reader.entries.get("repositories"), "repositories");
      for (const [repo, tags] of Object.entries((repositories ?? {}) as Record<string, object>)) {
        for (const repoTag of Object.keys(tags ?? {}))
          if (fullReference(`${repo}:${repoTag}`) !== wanted)
            return `it tags ${JSON.stringify(`${repo}:${repoTag}`)} too, not only ${bundle.ref}`;
      }
    }
    const root = blob(image.digest);
    if (!root) return `it does not hold the image ${bundle.imageId} itself`;
    const seen = new Set<string>();
    const queue: Descriptor[] = [image];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next.digest)) continue;
      seen.add(next.digest);
      const entry = blob(next.digest);
      if (!entry) continue;
      if (entry.size !== next.size)
        return `its blob ${next.digest.slice(7, 19)}… has ${entry.size} bytes, its manifest says ${next.size}`;
      if (entry.content) {
        try {
          queue.push(...descriptors(JSON.parse(entry.content.toString("utf8"))));
        } catch {
          // A small layer or config that is not a manifest points at nothing.
        }
      }
    }
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
