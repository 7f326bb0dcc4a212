import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Console } from "@bct/cli";
import { type Engine, formatBytes, KitError } from "@bct/engine";
import { z } from "zod";
import { throttle } from "./throttle.ts";

/** One image as `images serve` offers it: a `docker save` tarball of that one reference, and its checksum. */
export const bundleSchema = z
  .object({
    ref: z.string().regex(/^[a-z0-9][a-z0-9._\-/:@]*$/, "an image reference"),
    imageId: z.string().regex(/^sha256:[0-9a-f]{64}$/, "sha256:<64 hex>"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 hex digits"),
    size: z.number().int().positive(),
  })
  .strict();
export type Bundle = z.infer<typeof bundleSchema>;

export const bundleIndexSchema = z
  .object({ version: z.literal(1), images: z.array(bundleSchema).max(500) })
  .strict();
export type BundleIndex = z.infer<typeof bundleIndexSchema>;

export interface StoredBundle extends Bundle {
  file: string;
}

/** The sha256 of a file, streamed. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/**
 * Saves each image into its own tarball under `dir` (once: a bundle named after the reference and the
 * image id is reused while the image stays the same) and records its sha256, so `load --from` can check
 * what it received before the engine sees it.
 */
export async function prepareBundles(
  engine: Engine,
  refs: string[],
  dir: string,
  console: Console,
): Promise<StoredBundle[]> {
  mkdirSync(dir, { recursive: true });
  const bundles: StoredBundle[] = [];
  for (const [index, ref] of refs.entries()) {
    const details = await engine.images.inspect(ref);
    if (!details)
      throw new KitError("IMAGE_MISSING", `${ref} is not on this engine, so it cannot be served.`, {
        hint: `Pull it first: pnpm images pull (or docker pull ${ref})`,
      });
    const name = createHash("sha256").update(`${ref}@${details.id}`).digest("hex").slice(0, 32);
    const file = join(dir, `${name}.tar`);
    const sumFile = `${file}.sha256`;
    if (!existsSync(file) || !existsSync(sumFile)) {
      const partial = `${file}.partial`;
      const hash = createHash("sha256");
      let written = 0;
      const progress = throttle((line) => console.progress(line));
      const tee = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          written += chunk.length;
          progress(`[${index + 1}/${refs.length}] saving ${ref}: ${formatBytes(written)}`);
          done(null, chunk);
        },
      });
      try {
        await pipeline(await engine.archives.save([ref]), tee, createWriteStream(partial));
        writeFileSync(sumFile, hash.digest("hex"));
        renameSync(partial, file);
      } catch (error) {
        rmSync(partial, { force: true });
        rmSync(sumFile, { force: true });
        throw error;
      } finally {
        console.endProgress();
      }
    }
    bundles.push({
      ref,
      imageId: details.id,
      sha256: readFileSync(sumFile, "utf8").trim(),
      size: statSync(file).size,
      file,
    });
    console.info(`[${index + 1}/${refs.length}] ${ref}: ${formatBytes(statSync(file).size)}`);
  }
  return bundles;
}
