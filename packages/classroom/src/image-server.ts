import { createReadStream } from "node:fs";
import { createServer, type Server } from "node:http";
import type { BundleIndex, StoredBundle } from "./image-bundles.ts";

export const BUNDLE_PATH = /^\/bundles\/([0-9a-f]{64})\.tar$/;
/** Read from disk only as fast as each client takes it, in small steps: a stalled client costs this much. */
const READ_AHEAD = 64 * 1024;
/** A client that takes nothing for this long is dropped. */
const STALL_MS = 60_000;

/**
 * The course images over HTTP, read-only: GET /index.json lists them, GET /bundles/<sha256>.tar sends
 * one (with Range, so an interrupted download resumes). Nothing else is served, nothing is written.
 */
export function createImageServer(bundles: StoredBundle[]): Server {
  const bySum = new Map(bundles.map((bundle) => [bundle.sha256, bundle]));
  const index: BundleIndex = {
    version: 1,
    images: bundles.map(({ ref, imageId, sha256, size }) => ({ ref, imageId, sha256, size })),
  };
  const indexJson = JSON.stringify(index);
  const server = createServer((request, response) => {
    const fail = (status: number, message: string) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: message }));
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("allow", "GET, HEAD");
      return fail(405, "This server is read-only.");
    }
    const path = new URL(request.url ?? "/", "http://images.invalid").pathname;
    if (path === "/index.json") {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(indexJson),
        "cache-control": "no-store",
      });
      return response.end(request.method === "HEAD" ? undefined : indexJson);
    }
    const match = BUNDLE_PATH.exec(path);
    const bundle = match ? bySum.get(match[1]!) : undefined;
    if (!bundle) return fail(404, `Nothing at ${path}: see /index.json.`);
    let start = 0;
    let end = bundle.size - 1;
    const range = request.headers.range;
    if (range !== undefined) {
      const parsed = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (
        !parsed ||
        Number(parsed[1]) >= bundle.size ||
        (parsed[2] && Number(parsed[2]) < Number(parsed[1]))
      ) {
        response.setHeader("content-range", `bytes */${bundle.size}`);
        return fail(416, `Range ${range} is not within the ${bundle.size} bytes of the bundle.`);
      }
      start = Number(parsed[1]);
      if (parsed[2]) end = Math.min(end, Number(parsed[2]));
    }
    response.writeHead(range === undefined ? 200 : 206, {
      "content-type": "application/x-tar",
      "content-length": end - start + 1,
      "accept-ranges": "bytes",
      etag: `"${bundle.sha256}"`,
      ...(range === undefined ? {} : { "content-range": `bytes ${start}-${end}/${bundle.size}` }),
    });
    if (request.method === "HEAD") return response.end();
    const stream = createReadStream(bundle.file, { start, end, highWaterMark: READ_AHEAD });
    stream.on("error", () => response.destroy());
    response.on("close", () => stream.destroy());
    stream.pipe(response);
  });
  server.setTimeout(STALL_MS, (socket) => socket.destroy());
  return server;
}
