import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { Console } from "@bct/cli";
import type { Engine } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Bundle } from "../src/image-bundles.ts";
import { prepareBundles, type StoredBundle } from "../src/image-bundles.ts";
import { type FetchOutcome, loadImagesFrom, type TransferLimits } from "../src/image-fetch.ts";
import { listenOn } from "../src/listen.ts";
import { multiArchBase, repoRoot, tempDir } from "./class-harness.ts";

const quiet = () => new Console({ write: () => true }, { write: () => true }, { NO_COLOR: "1" });

/** An image server that lies: its index says `bundle`, and `send` answers every bundle request. */
async function lyingServer(bundle: Bundle, send: (response: ServerResponse) => void) {
  const server = createServer((request, response) => {
    if (request.url === "/index.json") {
      response.writeHead(200, { "content-type": "application/json" });
      const { ref, imageId, sha256, size } = bundle;
      return response.end(JSON.stringify({ version: 1, images: [{ ref, imageId, sha256, size }] }));
    }
    send(response);
  });
  const port = await listenOn(server, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A saved image unpacked, changed by `edit`, and packed again: a bundle with its true sha256 and size. */
function forged(source: StoredBundle, dir: string, edit: (unpacked: string) => void) {
  const unpacked = join(dir, "unpacked");
  mkdirSync(unpacked, { recursive: true });
  spawnSync("tar", ["-xf", source.file, "-C", unpacked], { stdio: "inherit" });
  edit(unpacked);
  const file = join(dir, "forged.tar");
  const names = readdirSync(unpacked);
  spawnSync("tar", ["--format=ustar", "-cf", file, "-C", unpacked, ...names], { stdio: "inherit" });
  const bytes = readFileSync(file);
  return { file, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

interface SavedIndex {
  manifests: { digest: string; size: number; annotations: Record<string, string> }[];
}
type SavedManifest = { RepoTags: string[] }[];

function editJson<T>(file: string, change: (value: T) => void) {
  const value = JSON.parse(readFileSync(file, "utf8")) as T;
  change(value);
  writeFileSync(file, JSON.stringify(value));
}

describeWithEngine(
  "pnpm images load --from refuses what was not announced, before the engine sees it",
  () => {
    const work = tempDir("bct-images-refuse-");
    let engine: Engine;
    let announced: StoredBundle;
    let victim: StoredBundle;
    let victimId: string;

    beforeAll(async () => {
      engine = await testEngine("images-refuse");
      const id = engine.session.id;
      const base = await multiArchBase();
      writeFileSync(join(work.dir, "Dockerfile.a"), `FROM ${base}\nRUN echo announced ${id} > /id\n`);
      writeFileSync(join(work.dir, "Dockerfile.v"), `FROM ${base}\nRUN echo victim ${id} > /id\n`);
      const announcedRef = `bct-test/refuse-announced:${id}`;
      const victimRef = `bct-test/refuse-victim:${id}`;
      await engine.images.build({ context: work.dir, dockerfile: "Dockerfile.a", tags: [announcedRef] });
      await engine.images.build({ context: work.dir, dockerfile: "Dockerfile.v", tags: [victimRef] });
      const bundles = await prepareBundles(
        engine,
        [announcedRef, victimRef],
        join(work.dir, "bundles"),
        quiet(),
      );
      announced = bundles[0]!;
      victim = bundles[1]!;
      victimId = victim.imageId;
      await engine.images.remove(announcedRef);
    });
    afterAll(async () => {
      await engine?.cleanup();
      work.remove();
    });

    /** Loads from a lying server; the announced image and the victim's tag must be as before. */
    async function refusedLoad(
      bundle: Bundle,
      send: (response: ServerResponse) => void,
      limits: TransferLimits = {},
    ): Promise<FetchOutcome> {
      const server = await lyingServer(bundle, send);
      const downloads = join(work.dir, `downloads-${Math.random().toString(36).slice(2)}`);
      try {
        const [outcome] = await loadImagesFrom(engine, server.url, downloads, quiet(), limits);
        expect(outcome!.result).toBe("failed");
        expect(readdirSync(downloads)).toEqual([]);
        expect(await engine.images.exists(announced.ref)).toBe(false);
        expect((await engine.images.inspect(victim.ref))?.id).toBe(victimId);
        return outcome!;
      } finally {
        await server.close();
      }
    }
    const sendFile = (file: string) => (response: ServerResponse) => {
      response.writeHead(200, { "content-length": statSync(file).size });
      response.end(readFileSync(file));
    };

    const lies: [string, (unpacked: string) => void, RegExp][] = [
      [
        "tags another image in manifest.json",
        (unpacked) =>
          editJson<SavedManifest>(join(unpacked, "manifest.json"), (manifest) =>
            manifest[0]!.RepoTags.push(victim.ref),
          ),
        /it tags "bct-test\/refuse-victim:.*" too, not only bct-test\/refuse-announced/,
      ],
      [
        "names a second image in index.json",
        (unpacked) =>
          editJson<SavedIndex>(join(unpacked, "index.json"), (index) =>
            index.manifests.push({
              ...index.manifests[0]!,
              annotations: { "io.containerd.image.name": `docker.io/${victim.ref}` },
            }),
          ),
        /its index\.json lists 2 images, not the one announced/,
      ],
      [
        "renames its one image in index.json",
        (unpacked) =>
          editJson<SavedIndex>(join(unpacked, "index.json"), (index) => {
            index.manifests[0]!.annotations["io.containerd.image.name"] = `docker.io/${victim.ref}`;
          }),
        /it names the image "docker\.io\/bct-test\/refuse-victim:.*", not bct-test\/refuse-announced/,
      ],
      [
        "declares a blob size that is not the blob's",
        (unpacked) =>
          editJson<SavedIndex>(join(unpacked, "index.json"), (index) => {
            index.manifests[0]!.size += 1;
          }),
        /its blob [0-9a-f]{12}… has \d+ bytes, its manifest says \d+/,
      ],
      [
        "holds a file a saved image does not",
        (unpacked) => writeFileSync(join(unpacked, "extra.sh"), "echo hi\n"),
        /it holds "extra\.sh", which a saved image does not/,
      ],
    ];
    for (const [what, edit, message] of lies) {
      it(`refuses a bundle with the right sha256 that ${what}`, async () => {
        const dir = join(work.dir, what.replaceAll(" ", "-"));
        const lie = forged(announced, dir, edit);
        const outcome = await refusedLoad(
          { ref: announced.ref, imageId: announced.imageId, sha256: lie.sha256, size: lie.size },
          sendFile(lie.file),
        );
        expect(outcome.error).toMatch(
          /^Refused bct-test\/refuse-announced:\S+: its archive is not the announced image: /,
        );
        expect(outcome.error).toMatch(message);
      });
    }

    it("refuses another image sent under the announced reference and id", async () => {
      const outcome = await refusedLoad(
        { ref: announced.ref, imageId: announced.imageId, sha256: victim.sha256, size: victim.size },
        sendFile(victim.file),
      );
      expect(outcome.error).toContain(`its image is ${victimId}, not ${announced.imageId} as announced`);
    });

    it("stops reading at the announced size: a body that never ends, or declares more", async () => {
      const endless = await refusedLoad(announced, (response) => {
        response.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024);
        const more = () => {
          while (response.write(chunk));
        };
        response.on("drain", more);
        more();
      });
      expect(endless.error).toContain(`the server sent more than the ${announced.size} bytes it announced`);
      expect(endless.received).toBeLessThanOrEqual(announced.size);
      const declared = await refusedLoad(announced, (response) => {
        response.writeHead(200, { "content-length": announced.size * 40 });
        response.write(Buffer.alloc(1024));
      });
      expect(declared.error).toContain(
        `the server sends ${announced.size * 40} bytes where ${announced.size} were announced`,
      );
    });

    it("refuses a body that trickles below the minimum rate, and one that misses the deadline", async () => {
      const trickle = (response: ServerResponse) => {
        response.writeHead(200, { "content-length": announced.size });
        const timer = setInterval(() => response.write(Buffer.alloc(16)), 50);
        response.on("close", () => clearInterval(timer));
      };
      const slow = await refusedLoad(announced, trickle, { minBytesPerSecond: 4096, rateWindowMs: 500 });
      expect(slow.error).toMatch(/it arrived at [\d.]+ B\/s, below the minimum of 4\.10 kB\/s/);
      const late = await refusedLoad(announced, trickle, {
        minBytesPerSecond: 1,
        rateWindowMs: 10_000,
        deadlineMs: 1000,
      });
      expect(late.error).toContain("it did not arrive within 1 s");
    });

    it("still loads the true bundle after all that", async () => {
      const server = await lyingServer(announced, sendFile(announced.file));
      try {
        const [outcome] = await loadImagesFrom(engine, server.url, join(work.dir, "true"), quiet());
        expect(outcome).toEqual({ ref: announced.ref, result: "loaded", received: announced.size });
      } finally {
        await server.close();
      }
      expect((await engine.images.inspect(announced.ref))?.id).toBe(announced.imageId);
      expect((await engine.images.inspect(victim.ref))?.id).toBe(victimId);
      await engine.images.remove(announced.ref);
    });

    it("pnpm images serve holds little memory for clients that never read", async () => {
      const child: ChildProcess = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(repoRoot, "packages/classroom/src/images.ts"),
          "serve",
          "--host",
          "127.0.0.1",
          "--port",
          "0",
          "--image",
          victim.ref,
          "--cache",
          join(work.dir, "bundles"),
        ],
        { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      const sockets: ReturnType<typeof connect>[] = [];
      try {
        let output = "";
        const port = await new Promise<number>((resolve, reject) => {
          child.stdout!.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            const match = /--from http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
            if (match) resolve(Number(match[1]));
          });
          child.once("exit", (code) => reject(new Error(`images serve exited ${code}: ${output}`)));
        });
        const rss = () =>
          Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) * 1024;
        const before = rss();
        const clients = 100;
        for (let count = 0; count < clients; count++) {
          const socket = connect(port, "127.0.0.1");
          socket.pause();
          socket.write(`GET /bundles/${victim.sha256}.tar HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
          sockets.push(socket);
        }
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const grown = rss() - before;
        // With a 4 MB read-ahead each stalled client held about 8 MB here (about its whole size); now the
        // growth is mostly the allocator's, not per client.
        expect(victim.size).toBeGreaterThan(4 * 1024 * 1024);
        expect(grown).toBeLessThan(clients * 1024 * 1024);
      } finally {
        for (const socket of sockets) socket.destroy();
        child.kill("SIGTERM");
      }
      expect(existsSync(victim.file)).toBe(true);
    });
  },
);
