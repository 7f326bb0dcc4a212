import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  truncateSync,
} from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { get as httpsGet } from "node:https";
import { join } from "node:path";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Console } from "@bct/cli";
import { type Engine, formatBytes, isKitError, KitError } from "@bct/engine";
import { networkFailure } from "@bct/errors";
import { archiveMismatch, BundleArchiveReader } from "./bundle-archive.ts";
import { type Bundle, type BundleIndex, bundleIndexSchema } from "./image-bundles.ts";
import { throttle } from "./throttle.ts";

export interface FetchOutcome {
  ref: string;
  result: "present" | "loaded" | "failed";
  /** Bytes received in this run (a resumed download counts only the rest). */
  received: number;
  error?: string;
}

const MAX_INDEX_BYTES = 1024 * 1024;

function request(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsGet : get)(url, { headers, timeout: timeoutMs }, resolve);
    req.on("timeout", () => req.destroy(new Error(`no data for ${timeoutMs / 1000} s`)));
    req.on("error", reject);
  });
}

function unreachable(base: string, error: unknown): KitError {
  return new KitError(
    "COMMAND_FAILED",
    `Cannot reach the image server at ${base}: ${networkFailure(error)}.`,
    {
      hint: "Is the trainer's pnpm images serve running, and is this the address it printed for your network?",
    },
  );
}

export async function fetchIndex(base: string, timeoutMs = 10_000): Promise<BundleIndex> {
  let response: IncomingMessage;
  try {
    response = await request(new URL("/index.json", base), {}, timeoutMs);
  } catch (error) {
    throw unreachable(base, error);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INDEX_BYTES) {
      response.destroy();
      throw new KitError(
        "COMMAND_FAILED",
        `${base}/index.json is larger than ${MAX_INDEX_BYTES} bytes: not an image server of the kit.`,
      );
    }
    chunks.push(chunk);
  }
  if (response.statusCode !== 200)
    throw new KitError(
      "COMMAND_FAILED",
      `${base}/index.json answered ${response.statusCode}: is this the address pnpm images serve printed?`,
    );
  let parsed: ReturnType<typeof bundleIndexSchema.safeParse>;
  try {
    parsed = bundleIndexSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
  } catch {
    throw new KitError(
      "COMMAND_FAILED",
      `${base}/index.json is not JSON: is this the address pnpm images serve printed?`,
    );
  }
  if (!parsed.success)
    throw new KitError(
      "COMMAND_FAILED",
      `${base}/index.json is not an image index: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** Big reads and writes: a bundle is tens or hundreds of megabytes. */
const CHUNK = 4 * 1024 * 1024;

export interface TransferLimits {
  /** No byte at all for this long breaks the transfer (kept, resumable). */
  timeoutMs?: number;
  /** Fewer bytes than this per second, over each `rateWindowMs`, is a refusal. */
  minBytesPerSecond?: number;
  rateWindowMs?: number;
  /** The whole bundle must have arrived by then; default 5 min plus its size at 256 kB/s. */
  deadlineMs?: number;
}

/** The server did not send what it announced: nothing of the bundle is loaded or kept. */
class Refusal extends Error {}

/**
 * Downloads one bundle into `file`, appending to what an earlier, broken run left (HTTP Range), and
 * reads it on the way: its sha256 and the tar's index. At most the announced size is read, within a
 * deadline and above a minimum rate. A broken connection keeps the partial file; a refusal removes it.
 */
async function download(
  base: string,
  bundle: Bundle,
  file: string,
  onBytes: (have: number) => void,
  limits: Required<TransferLimits>,
): Promise<{ received: number; sha256: string; archive: BundleArchiveReader }> {
  const have = existsSync(file) ? statSync(file).size : 0;
  if (have > bundle.size) truncateSync(file, 0);
  const offset = have > bundle.size ? 0 : have;
  const hash = createHash("sha256");
  const archive = new BundleArchiveReader();
  const readKept = async (end: number) => {
    if (end === 0) return;
    await pipeline(
      createReadStream(file, { end: end - 1, highWaterMark: CHUNK }),
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          hash.update(chunk);
          archive.write(chunk);
          done();
        },
      }),
    );
  };
  if (offset === bundle.size) {
    await readKept(offset);
    return { received: 0, sha256: hash.digest("hex"), archive };
  }
  const url = new URL(`/bundles/${bundle.sha256}.tar`, base);
  let response: IncomingMessage;
  try {
    response = await request(url, offset > 0 ? { range: `bytes=${offset}-` } : {}, limits.timeoutMs);
  } catch (error) {
    throw unreachable(base, error);
  }
  const resumed =
    response.statusCode === 206 && response.headers["content-range"]?.startsWith(`bytes ${offset}-`);
  if (response.statusCode !== 200 && !resumed) {
    response.destroy();
    throw new KitError(
      "COMMAND_FAILED",
      `${url} answered ${response.statusCode} to a request for bytes ${offset}-.`,
    );
  }
  const start = resumed ? offset : 0;
  const announcedRest = bundle.size - start;
  const declared = Number(response.headers["content-length"] ?? Number.NaN);
  if (declared > announcedRest) {
    response.destroy();
    rmSync(file, { force: true });
    throw refused(bundle, `the server sends ${declared} bytes where ${announcedRest} were announced`);
  }
  response.pause();
  await readKept(start);
  let received = 0;
  let windowBytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (received + chunk.length > announcedRest)
        return done(new Refusal(`the server sent more than the ${bundle.size} bytes it announced`));
      received += chunk.length;
      windowBytes += chunk.length;
      hash.update(chunk);
      archive.write(chunk);
      onBytes(start + received);
      done(null, chunk);
    },
  });
  const deadline = setTimeout(
    () => limiter.destroy(new Refusal(`it did not arrive within ${Math.round(limits.deadlineMs / 1000)} s`)),
    limits.deadlineMs,
  );
  const rate = setInterval(() => {
    if (windowBytes < (limits.minBytesPerSecond * limits.rateWindowMs) / 1000)
      limiter.destroy(
        new Refusal(
          `it arrived at ${formatBytes(Math.round((windowBytes * 1000) / limits.rateWindowMs))}/s, below the minimum of ${formatBytes(limits.minBytesPerSecond)}/s`,
        ),
      );
    windowBytes = 0;
  }, limits.rateWindowMs);
  try {
    await pipeline(
      response,
      limiter,
      createWriteStream(file, { flags: start === 0 ? "w" : "a", highWaterMark: CHUNK }),
    );
  } catch (error) {
    if (error instanceof Refusal) {
      rmSync(file, { force: true });
      throw refused(bundle, error.message);
    }
    // Keep every byte that arrived: the next run asks for the rest.
    throw broken(bundle, existsSync(file) ? statSync(file).size : 0, (error as Error).message);
  } finally {
    clearTimeout(deadline);
    clearInterval(rate);
  }
  if (start + received !== bundle.size)
    throw broken(bundle, statSync(file).size, "the connection closed early");
  return { received, sha256: hash.digest("hex"), archive };
}

function refused(bundle: Bundle, why: string): KitError {
  return new KitError("COMMAND_FAILED", `Refused ${bundle.ref}: ${why}. Nothing of it was loaded.`, {
    hint: "The download was removed. If the address is the trainer's, ask them to restart pnpm images serve; otherwise check the address.",
  });
}

function broken(bundle: Bundle, have: number, why: string): KitError {
  return new KitError(
    "COMMAND_FAILED",
    `The transfer of ${bundle.ref} broke after ${formatBytes(have)} of ${formatBytes(bundle.size)} (${why}).`,
    {
      hint: "Nothing of it was loaded. Run the same command again: it resumes where it stopped.",
    },
  );
}

/**
 * `pnpm images load --from URL`: every image of the server's index that this engine lacks (same
 * reference, same image id) is downloaded into `downloadDir`, checked against its sha256 and its tar's
 * index (only the announced reference and image id), and only then loaded through the Engine API;
 * after loading, the image id must be the one announced.
 */
export async function loadImagesFrom(
  engine: Engine,
  base: string,
  downloadDir: string,
  console: Console,
  options: TransferLimits = {},
): Promise<FetchOutcome[]> {
  const index = await fetchIndex(base, options.timeoutMs);
  mkdirSync(downloadDir, { recursive: true });
  const outcomes: FetchOutcome[] = [];
  for (const [position, bundle] of index.images.entries()) {
    const label = `[${position + 1}/${index.images.length}] ${bundle.ref}`;
    if ((await engine.images.inspect(bundle.ref))?.id === bundle.imageId) {
      console.info(`${label}: already here`);
      outcomes.push({ ref: bundle.ref, result: "present", received: 0 });
      continue;
    }
    const file = join(downloadDir, `${bundle.sha256}.partial`);
    let received = 0;
    try {
      const started = performance.now();
      const progress = throttle((line) => console.progress(line));
      let firstByte: number | undefined;
      const fetched = await download(
        base,
        bundle,
        file,
        (have) => {
          firstByte ??= have;
          const seconds = (performance.now() - started) / 1000;
          progress(
            `${label}: ${formatBytes(have)} of ${formatBytes(bundle.size)}${seconds > 0.5 ? ` (${formatBytes((have - firstByte) / seconds)}/s)` : ""}`,
          );
        },
        {
          timeoutMs: options.timeoutMs ?? 30_000,
          minBytesPerSecond: options.minBytesPerSecond ?? 32 * 1024,
          rateWindowMs: options.rateWindowMs ?? 30_000,
          deadlineMs: options.deadlineMs ?? 300_000 + (bundle.size / (256 * 1024)) * 1000,
        },
      ).finally(() => console.endProgress());
      received = fetched.received;
      const sum = fetched.sha256;
      if (sum !== bundle.sha256) {
        rmSync(file, { force: true });
        throw new KitError(
          "COMMAND_FAILED",
          `${bundle.ref} arrived damaged: its sha256 is ${sum}, the server announced ${bundle.sha256}. Nothing of it was loaded.`,
          {
            hint: "The download was removed; run the command again to fetch it anew. If it fails again, the trainer's bundle is damaged: ask them to restart pnpm images serve.",
          },
        );
      }
      const mismatch = fetched.archive.end() ?? archiveMismatch(fetched.archive, bundle);
      if (mismatch) {
        rmSync(file, { force: true });
        throw refused(bundle, `its archive is not the announced image: ${mismatch}`);
      }
      const loaded = await engine.archives.load(createReadStream(file, { highWaterMark: CHUNK }));
      const details = await engine.images.inspect(bundle.ref);
      if (details?.id !== bundle.imageId) {
        rmSync(file, { force: true });
        throw new KitError(
          "COMMAND_FAILED",
          `After loading, ${bundle.ref} is ${details?.id ?? "absent"}, not ${bundle.imageId} as announced (the archive held ${loaded.join(", ") || "nothing"}).`,
        );
      }
      rmSync(file, { force: true });
      console.info(`${label}: loaded and verified (${formatBytes(bundle.size)})`);
      outcomes.push({ ref: bundle.ref, result: "loaded", received });
    } catch (error) {
      if (!isKitError(error)) throw error;
      console.error(`${label}: ${error.message}`);
      if (error.hint) console.stderr.write(`  ${error.hint}\n`);
      outcomes.push({ ref: bundle.ref, result: "failed", received, error: error.message });
    }
  }
  return outcomes;
}
