import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readdirSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Console } from "@bct/cli";
import type { Engine } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareBundles, type StoredBundle } from "../src/image-bundles.ts";
import { loadImagesFrom } from "../src/image-fetch.ts";
import { createImageServer } from "../src/image-server.ts";
import { listenOn } from "../src/listen.ts";
import { multiArchBase, repoRoot, tempDir } from "./class-harness.ts";

const imagesCli = join(repoRoot, "packages/classroom/src/images.ts");

function collectingConsole() {
  const err: string[] = [];
  const console = new Console(
    { write: () => true },
    { write: (text: string) => err.push(text) },
    { NO_COLOR: "1" },
  );
  return { console, err };
}

/** A GET with the path sent exactly as given. */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, path, method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** `pnpm images serve` in its own process; resolves with the loopback address it printed. */
async function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", imagesCli, "serve", "--host", "127.0.0.1", "--port", "0", ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /pnpm images load --from (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`images serve exited ${code}: ${output}`)));
  });
  return { url, child };
}

/** A loopback proxy in front of the image server that records Range headers and can cut a transfer short. */
async function proxy(
  target: string,
  cutAfterBytes?: number,
): Promise<{ url: string; ranges: (string | undefined)[]; server: Server }> {
  const ranges: (string | undefined)[] = [];
  const server = createServer((incoming, outgoing) => {
    if (incoming.url?.startsWith("/bundles/")) ranges.push(incoming.headers.range);
    const upstream = request(
      new URL(incoming.url ?? "/", target),
      { headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        let sent = 0;
        answer.on("data", (chunk: Buffer) => {
          if (
            cutAfterBytes !== undefined &&
            incoming.url?.startsWith("/bundles/") &&
            sent + chunk.length > cutAfterBytes
          ) {
            outgoing.write(chunk.subarray(0, cutAfterBytes - sent));
            sent = cutAfterBytes;
            outgoing.socket?.destroy();
            answer.destroy();
            return;
          }
          sent += chunk.length;
          outgoing.write(chunk);
        });
        answer.on("end", () => outgoing.end());
      },
    );
    upstream.on("error", () => outgoing.destroy());
    upstream.end();
  });
  const port = await listenOn(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}`, ranges, server };
}
const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describeWithEngine("pnpm images serve and pnpm images load --from, on loopback", () => {
  const work = tempDir("bct-images-serve-");
  let engine: Engine;
  let hello: string;
  let alpine: string;
  let served: { url: string; child: ChildProcess };

  beforeAll(async () => {
    engine = await testEngine("images-serve");
    const id = engine.session.id;
    hello = `bct-test/serve-hello:${id}`;
    alpine = `bct-test/serve-alpine:${id}`;
    writeFileSync(join(work.dir, "Dockerfile.hello"), `FROM hello-world:latest\nLABEL bct.test=${id}\n`);
    writeFileSync(
      join(work.dir, "Dockerfile.alpine"),
      `FROM ${await multiArchBase()}\nRUN echo ${id} > /id\n`,
    );
    await engine.images.build({ context: work.dir, dockerfile: "Dockerfile.hello", tags: [hello] });
    await engine.images.build({ context: work.dir, dockerfile: "Dockerfile.alpine", tags: [alpine] });
    served = await serve(["--image", hello, "--image", alpine, "--cache", join(work.dir, "served")]);
  });
  afterAll(async () => {
    served?.child.kill("SIGTERM");
    await engine?.cleanup();
    work.remove();
  });

  const load = (url: string, downloads = join(work.dir, "downloads")) =>
    spawnSync(process.execPath, ["--import", "tsx", imagesCli, "load", "--from", url, "--cache", downloads], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 120_000,
    });

  it("loads what the engine lacks into the engine, verified, and the images run", async () => {
    const idBefore = (await engine.images.inspect(alpine))!.id;
    await engine.images.remove(hello);
    await engine.images.remove(alpine);
    expect(await engine.images.exists(alpine)).toBe(false);

    const result = load(served.url);
    expect(result.stderr).toContain(`${alpine}: loaded and verified`);
    expect(result.stdout).toBe(`2 images from ${served.url}: 2 loaded, 0 already here, 0 failed\n`);
    expect(result.status).toBe(0);
    expect((await engine.images.inspect(alpine))!.id).toBe(idBefore);
    const run = await engine.containers.run({ image: alpine, command: ["cat", "/id"] });
    expect(run.stdout.trim()).toBe(engine.session.id);
    const greeting = await engine.containers.run({ image: hello });
    expect(greeting.stdout).toContain("Hello from Docker!");
    expect(readdirSync(join(work.dir, "downloads"))).toEqual([]);

    const again = load(served.url);
    expect(again.stdout).toBe(`2 images from ${served.url}: 0 loaded, 2 already here, 0 failed\n`);
  });

  it("an interrupted transfer leaves no half image, and the next run resumes it", async () => {
    await engine.images.remove(alpine);
    const index = (await (await fetch(`${served.url}/index.json`)).json()) as { images: StoredBundle[] };
    const bundle = index.images.find((image) => image.ref === alpine)!;
    const downloads = join(work.dir, "downloads-resume");
    const cutting = await proxy(served.url, 1024 * 1024);
    try {
      const { console, err } = collectingConsole();
      const outcomes = await loadImagesFrom(engine, cutting.url, downloads, console);
      expect(outcomes.find((outcome) => outcome.ref === alpine)).toMatchObject({ result: "failed" });
      expect(err.join("")).toMatch(
        new RegExp(`The transfer of ${alpine} broke after [\\d.]+ [kM]B of [\\d.]+ MB`),
      );
      expect(err.join("")).toContain("Run the same command again: it resumes where it stopped.");
    } finally {
      await closeServer(cutting.server);
    }
    expect(await engine.images.exists(alpine)).toBe(false);
    const partial = join(downloads, `${bundle.sha256}.partial`);
    const kept = statSync(partial).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1024 * 1024);

    const watching = await proxy(served.url);
    try {
      const { console } = collectingConsole();
      const outcomes = await loadImagesFrom(engine, watching.url, downloads, console);
      expect(outcomes.find((outcome) => outcome.ref === alpine)).toEqual({
        ref: alpine,
        result: "loaded",
        received: bundle.size - kept,
      });
      expect(outcomes.find((outcome) => outcome.ref === hello)?.result).toBe("present");
      expect(watching.ranges).toEqual([`bytes=${kept}-`]);
    } finally {
      await closeServer(watching.server);
    }
    expect((await engine.images.inspect(alpine))?.id).toBe(bundle.imageId);
    expect(existsSync(partial)).toBe(false);
  });

  it("refuses a corrupted bundle and loads nothing of it", async () => {
    const { console } = collectingConsole();
    const bundles = await prepareBundles(engine, [alpine], join(work.dir, "served"), console);
    const damaged = join(work.dir, "damaged.tar");
    copyFileSync(bundles[0]!.file, damaged);
    const fd = openSync(damaged, "r+");
    writeSync(fd, Buffer.from([0x42, 0x43, 0x54]), 0, 3, Math.floor(bundles[0]!.size / 2));
    closeSync(fd);
    const server = createImageServer([{ ...bundles[0]!, file: damaged }]);
    const port = await listenOn(server, 0, "127.0.0.1");
    await engine.images.remove(alpine);
    const imagesBefore = (await engine.listLabelled(engine.session.id)).images;
    try {
      const { console: quiet, err } = collectingConsole();
      const downloads = join(work.dir, "downloads-damaged");
      const outcomes = await loadImagesFrom(
        engine,
        `http://127.0.0.1:${(server.address() as AddressInfo).port ?? port}`,
        downloads,
        quiet,
      );
      expect(outcomes).toEqual([
        {
          ref: alpine,
          result: "failed",
          received: bundles[0]!.size,
          error: expect.stringContaining(`${alpine} arrived damaged: its sha256 is`),
        },
      ]);
      expect(err.join("")).toContain("Nothing of it was loaded.");
      expect(readdirSync(downloads)).toEqual([]);
    } finally {
      await closeServer(server);
    }
    expect(await engine.images.exists(alpine)).toBe(false);
    expect((await engine.listLabelled(engine.session.id)).images).toEqual(imagesBefore);
  });

  it("serves nothing but its index and bundles, read-only, and names a bad --from", async () => {
    expect((await fetch(`${served.url}/index.json`, { method: "DELETE" })).status).toBe(405);
    // fetch() would normalise "../" away before sending: the raw paths go as a hostile client sends them.
    for (const path of [
      "/../../etc/passwd",
      "/bundles/../../etc/passwd",
      "/bundles/%2e%2e/%2e%2e/etc/passwd",
      "/bundles/..%2f..%2fetc%2fpasswd",
      "//etc/passwd",
    ]) {
      const answer = await rawGet(served.url, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body).not.toContain("root:");
    }
    const index = (await (await fetch(`${served.url}/index.json`)).json()) as { images: StoredBundle[] };
    const range = await fetch(`${served.url}/bundles/${index.images[0]!.sha256}.tar`, {
      headers: { range: `bytes=${index.images[0]!.size}-` },
    });
    expect(range.status).toBe(416);
    const bad = load("ftp://example.invalid");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      "--from ftp://example.invalid: give the http://HOST:PORT address pnpm images serve printed (or its forwarded https:// URL).",
    );
    const away = load("http://127.0.0.1:9");
    expect(away.status).toBe(2);
    expect(away.stderr).toContain(
      "Cannot reach the image server at http://127.0.0.1:9: connection refused: nothing listens there.",
    );
  });
});
