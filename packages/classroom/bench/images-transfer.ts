import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Console } from "@bct/cli";
import { connectEngine, formatBytes } from "@bct/engine";
import { prepareBundles } from "../src/image-bundles.ts";
import { loadImagesFrom } from "../src/image-fetch.ts";
import { createImageServer } from "../src/image-server.ts";
import { listenOn } from "../src/listen.ts";
import { multiArchBase } from "../test/class-harness.ts";

const run = promisify(execFile);
const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `pnpm images load --from` on loopback (download, sha256 check, load through the Engine API) versus
 * `docker load -i` of the same image from a local file, round by round, as a ratio of throughput.
 */
export async function bench(): Promise<void> {
  const engine = await connectEngine({ owner: "bench:images-transfer" });
  const work = mkdtempSync(join(tmpdir(), "bct-bench-transfer-"));
  const ref = `bct-bench/transfer:${engine.session.id}`;
  const quiet = new Console({ write: () => true }, { write: () => true }, { NO_COLOR: "1" });
  const env = engine.cliEnvironment();
  try {
    writeFileSync(
      join(work, "Dockerfile"),
      `FROM ${await multiArchBase()}\nRUN head -c 40000000 /dev/urandom > /blob\n`,
    );
    await engine.images.build({ context: work, tags: [ref] });
    const [bundle] = await prepareBundles(engine, [ref], join(work, "served"), quiet);
    const server = createImageServer([bundle!]);
    const port = await listenOn(server, 0, "127.0.0.1");
    const tarball = join(work, "image.tar");
    await run("docker", ["save", "-o", tarball, ref], { env });
    const size = statSync(tarball).size;
    const fromServer: number[] = [];
    const fromFile: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await engine.images.remove(ref);
        let started = performance.now();
        const [outcome] = await loadImagesFrom(
          engine,
          `http://127.0.0.1:${port}`,
          join(work, "downloads"),
          quiet,
        );
        if (outcome?.result !== "loaded") throw new Error(`load --from did not load: ${outcome?.error}`);
        fromServer.push(performance.now() - started);
        await engine.images.remove(ref);
        started = performance.now();
        await run("docker", ["load", "-q", "-i", tarball], { env });
        fromFile.push(performance.now() - started);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const rate = (bytes: number, ms: number) => `${formatBytes((bytes / ms) * 1000)}/s`;
    const served = median(fromServer);
    const local = median(fromFile);
    console.log(
      `image: ${formatBytes(bundle!.size)} bundle (docker save file ${formatBytes(size)}), median of ${ROUNDS} rounds`,
    );
    console.log(
      `images load --from (loopback HTTP, sha256, Engine API load): ${served.toFixed(0)} ms, ${rate(bundle!.size, served)}`,
    );
    console.log(
      `docker load -i (local file):                                ${local.toFixed(0)} ms, ${rate(size, local)}`,
    );
    console.log(
      `throughput ratio load --from / docker load: ${(bundle!.size / served / (size / local)).toFixed(2)}`,
    );
  } finally {
    await engine.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}
