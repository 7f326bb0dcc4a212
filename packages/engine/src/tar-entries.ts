/** One entry of a tar stream (ustar, with pax and GNU long names), as `docker export` writes it. */
export interface TarEntry {
  /** Absolute path in the image, e.g. "/bin/server". */
  path: string;
  type: "file" | "directory" | "symlink" | "hardlink" | "other";
  size: number;
  mode: number;
  /** Where a symlink or hard link points. */
  linkTarget: string | undefined;
}

const BLOCK = 512;

/**
 * Reads the entries of a tar stream, keeping the first `headBytes` of the files `wantHead` picks (e.g. an
 * ELF header), and skipping every other file's content without holding it.
 */
export async function readTarEntries(
  stream: AsyncIterable<Buffer | string>,
  wantHead: (path: string) => boolean = () => false,
  headBytes = 64 * 1024,
): Promise<{ entries: TarEntry[]; heads: Map<string, Buffer> }> {
  const entries: TarEntry[] = [];
  const heads = new Map<string, Buffer>();
  let buffer = Buffer.alloc(0);
  let skip = 0;
  let collecting: { path: string; chunks: Buffer[]; kept: number; limit: number } | undefined;
  let pending: { kind: "pax" | "longname" | "longlink"; size: number } | undefined;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  let ended = false;

  for await (const chunk of stream) {
    buffer = Buffer.concat([buffer, typeof chunk === "string" ? Buffer.from(chunk) : chunk]);
    for (;;) {
      if (skip > 0) {
        const taken = Math.min(skip, buffer.length);
        if (collecting && collecting.kept < collecting.limit) {
          const part = buffer.subarray(0, Math.min(taken, collecting.limit - collecting.kept));
          collecting.chunks.push(Buffer.from(part));
          collecting.kept += part.length;
        }
        buffer = buffer.subarray(taken);
        skip -= taken;
        if (skip > 0) break;
        if (collecting) heads.set(collecting.path, Buffer.concat(collecting.chunks));
        collecting = undefined;
      }
      if (pending) {
        const padded = Math.ceil(pending.size / BLOCK) * BLOCK;
        if (buffer.length < padded) break;
        const text = buffer.subarray(0, pending.size).toString("utf8").replace(/\0+$/, "");
        if (pending.kind === "pax") {
          paxPath = paxRecord(text, "path") ?? paxPath;
          paxLink = paxRecord(text, "linkpath") ?? paxLink;
        } else if (pending.kind === "longname") paxPath = text;
        else paxLink = text;
        buffer = buffer.subarray(padded);
        pending = undefined;
        continue;
      }
      if (ended || buffer.length < BLOCK) break;
      const header = buffer.subarray(0, BLOCK);
      buffer = buffer.subarray(BLOCK);
      if (header.every((byte) => byte === 0)) {
        ended = true;
        break;
      }
      const size = octal(header.subarray(124, 136));
      const flag = String.fromCharCode(header[156]!);
      if (flag === "x" || flag === "L" || flag === "K") {
        pending = { kind: flag === "x" ? "pax" : flag === "L" ? "longname" : "longlink", size };
        continue;
      }
      if (flag === "g") {
        skip = Math.ceil(size / BLOCK) * BLOCK;
        continue;
      }
      const name = text(header.subarray(0, 100));
      const prefix = header.subarray(257, 262).toString() === "ustar" ? text(header.subarray(345, 500)) : "";
      const raw = paxPath ?? (prefix ? `${prefix}/${name}` : name);
      const path = `/${raw.replace(/^\.?\/+/, "").replace(/\/+$/, "")}`;
      const type =
        flag === "0" || flag === "\0" || flag === "7"
          ? "file"
          : flag === "5"
            ? "directory"
            : flag === "2"
              ? "symlink"
              : flag === "1"
                ? "hardlink"
                : "other";
      const linkTarget =
        type === "symlink" || type === "hardlink" ? (paxLink ?? text(header.subarray(157, 257))) : undefined;
      entries.push({ path, type, size, mode: octal(header.subarray(100, 108)), linkTarget });
      paxPath = undefined;
      paxLink = undefined;
      skip = type === "file" ? Math.ceil(size / BLOCK) * BLOCK : 0;
      if (type === "file" && wantHead(path)) {
        if (size === 0) heads.set(path, Buffer.alloc(0));
        // The padding after the content is skipped too, but only the first bytes of the content are kept.
        else collecting = { path, chunks: [], kept: 0, limit: Math.min(size, headBytes) };
      }
    }
  }
  return { entries, heads };
}

function text(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString("utf8");
}

function octal(bytes: Buffer): number {
  const value = text(bytes).trim();
  return value === "" ? 0 : Number.parseInt(value, 8);
}

function paxRecord(records: string, key: string): string | undefined {
  for (const line of records.split("\n")) {
    const match = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (match && match[1] === key) return match[2];
  }
  return undefined;
}
