import { existsSync, type FSWatcher, readFileSync, statSync, watch } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { findListeningProcess, KitError } from "@bct/engine";
import { buildDeck } from "./build.ts";
import type { ExampleSource } from "./example-source.ts";
import { injectLiveReload, LIVE_RELOAD_PATH, ReloadChannel } from "./live-reload.ts";
import type { DeckPaths } from "./paths.ts";

export { DEFAULT_PORT } from "./commands.ts";

export interface ServeOptions {
  paths: DeckPaths;
  source: ExampleSource;
  port: number;
  host: string;
  log: (message: string) => void;
  warn: (message: string) => void;
  /** Quiet period before a rebuild, so one save that touches several files rebuilds once. */
  debounceMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Resolves after the next rebuild triggered by a change (for tests). */
  nextRebuild(): Promise<"ok" | "failed">;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".pdf": "application/pdf",
  ".md": "text/markdown; charset=utf-8",
};

/**
 * Builds the HTML deck, serves dist/ on one port, and rebuilds + reloads open tabs when the slides,
 * assets, theme, examples or exercise change. The live-reload channel shares the deck's port, so a
 * browser workspace needs to forward only that one.
 */
export async function serveDeck(options: ServeOptions): Promise<RunningServer> {
  const { paths, source, log, warn } = options;
  await buildDeck({ paths, source, formats: ["html"] });
  const channel = new ReloadChannel();
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://deck").pathname);
    if (path === LIVE_RELOAD_PATH) return channel.attach(response);
    const file = normalize(join(paths.distDir, path === "/" ? "index.html" : path));
    if (!file.startsWith(paths.distDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    const body = readFileSync(file);
    response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    response.end(type.startsWith("text/html") ? injectLiveReload(body.toString("utf8")) : body);
  });
  await listen(server, options.port, options.host);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  let waiters: Array<(outcome: "ok" | "failed") => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let building = Promise.resolve();
  const rebuild = () => {
    building = building.then(async () => {
      let outcome: "ok" | "failed" = "ok";
      try {
        const result = await buildDeck({ paths, source, formats: ["html"] });
        log(`Rebuilt ${result.slideCount} slides; reloading open decks`);
        channel.reload();
      } catch (error) {
        outcome = "failed";
        warn(`Rebuild failed, still serving the last good deck:\n${(error as Error).message}`);
      }
      for (const resolve of waiters) resolve(outcome);
      waiters = [];
    });
  };
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, options.debounceMs ?? 150);
  };
  const watched = [
    paths.slidesDir,
    paths.assetsDir,
    join(paths.themeFile, ".."),
    join(paths.repoRoot, "examples"),
    join(paths.repoRoot, "exercise"),
  ].filter((dir) => existsSync(dir));
  const watchers: FSWatcher[] = watched.map((dir) => watch(dir, { recursive: true }, onChange));

  return {
    url: `http://localhost:${port}/`,
    port,
    nextRebuild: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      channel.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await building;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        const holder = findListeningProcess(port);
        const who = holder ? ` by ${holder.command} (pid ${holder.pid})` : "";
        reject(
          new KitError("PORT_IN_USE", `Port ${port} on ${host} is already in use${who}.`, {
            hint: `Stop what holds it, or pick another port: pnpm deck serve --port ${port + 1}`,
          }),
        );
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}
