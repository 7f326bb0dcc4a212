#!/usr/bin/env node
import { join, resolve } from "node:path";
import {
  type CommandSpec,
  type Console,
  closestMatch,
  parseCommandArgs,
  renderHelp,
  runCli,
  untilStopped,
  useCompileCache,
} from "@bct/cli";
import { EXIT, KitError } from "@bct/errors";
import { cacheDir } from "./cache-dir.ts";
import { DEFAULT_TARBALL, IMAGES_PORT } from "./image-defaults.ts";
import { findRepoRoot, isEntryPoint } from "./repo-root.ts";

// Only what --help needs loads up front; the engine and the image code load when there is work.
const work = async () => ({
  ...(await import("@bct/engine")),
  ...(await import("./image-commands.ts")),
  ...(await import("./image-bundles.ts")),
  ...(await import("./image-fetch.ts")),
  ...(await import("./image-server.ts")),
  ...(await import("./listen.ts")),
});

const SUBCOMMANDS = ["list", "pull", "save", "load", "serve"] as const;

export const imagesCommand: CommandSpec = {
  usage: "pnpm images",
  summary:
    "The upstream images the course uses, derived from the examples' manifests and Dockerfiles and the exercise.\n\n" +
    "  list           print each image and what uses it\n" +
    "  pull           pull the ones not on this engine (per-layer progress on stderr)\n" +
    `  save [file]    write them all into one tarball (default ${DEFAULT_TARBALL}) for an offline classroom\n` +
    "  load [file]    load such a tarball back\n" +
    "  serve          (trainer) serve the course images on this engine over HTTP, read-only, on one port\n" +
    "  load --from URL  (attendee) fetch from such a server what this engine lacks, check each image's sha256, load it",
  positionals: ["<list|pull|save|load|serve>", "[file]"],
  options: {
    json: { type: "boolean", description: "list: print JSON ({ ref, usedBy }[])" },
    always: { type: "boolean", description: "pull: pull even the images already here" },
    from: {
      type: "string",
      valueName: "URL",
      description: "load: fetch from the trainer's pnpm images serve",
    },
    port: { type: "string", valueName: "N", description: "serve: the port", default: String(IMAGES_PORT) },
    host: {
      type: "string",
      valueName: "H",
      description:
        "serve: listen on this address (default: 127.0.0.1, this machine only; 0.0.0.0 for the room)",
    },
    image: {
      type: "string",
      valueName: "REF",
      multiple: true,
      description: "serve: serve these images instead of the course's",
    },
    cache: {
      type: "string",
      valueName: "dir",
      description: "serve, load --from: where bundles and downloads are kept (default: ~/.cache/bct)",
    },
  },
  examples: [
    "pnpm images list --json",
    "pnpm images pull",
    "pnpm images save classroom.tar",
    "pnpm images load classroom.tar",
    "pnpm images serve --host 0.0.0.0",
    "pnpm images load --from http://192.168.1.20:4300",
  ],
};

export async function imagesMain(
  argv: string[],
  console: Console,
  env: Record<string, string | undefined> = process.env,
  stopSignal?: Promise<void>,
): Promise<number> {
  const args = parseCommandArgs(imagesCommand, argv);
  if (args.help) {
    console.print(renderHelp(imagesCommand).trimEnd());
    return EXIT.ok;
  }
  const [subcommand, file, ...extra] = args.positionals;
  if (!subcommand || !(SUBCOMMANDS as readonly string[]).includes(subcommand)) {
    const suggestion = subcommand ? closestMatch(subcommand, [...SUBCOMMANDS]) : undefined;
    throw new KitError(
      "INVALID_INPUT",
      subcommand ? `Unknown subcommand "${subcommand}".` : "Name a subcommand: list, pull, save or load.",
      { hint: suggestion ? `Did you mean: pnpm images ${suggestion}?` : "See pnpm images --help" },
    );
  }
  if (extra.length > 0 || (file && (subcommand === "list" || subcommand === "pull"))) {
    throw new KitError(
      "INVALID_INPUT",
      `Unexpected argument: ${[file, ...extra].filter(Boolean).join(" ")}`,
      {
        hint: "See pnpm images --help",
      },
    );
  }
  if (subcommand === "serve") {
    if (file)
      throw new KitError("INVALID_INPUT", `Unexpected argument: ${file}`, { hint: "See pnpm images --help" });
    return serveImages(args.values, console, env, stopSignal);
  }
  if (subcommand === "load" && typeof args.values.from === "string") {
    if (file) throw new KitError("INVALID_INPUT", "Give either a file or --from URL, not both.");
    return loadFrom(args.values.from, args.values.cache, console, env);
  }
  const lib = await work();
  const repoRoot = findRepoRoot();
  const images = await lib.listCourseImages(repoRoot);
  if (subcommand === "list") {
    lib.printImageList(images, console, args.values.json === true);
    return EXIT.ok;
  }
  const engine = await lib.connectEngine({ owner: "classroom:images" });
  if (subcommand === "pull") {
    const outcomes = await lib.pullCourseImages(
      engine,
      images,
      console,
      args.values.always ? "always" : "missing",
    );
    const pulled = outcomes.filter((outcome) => outcome.result === "pulled").length;
    const failed = outcomes.filter((outcome) => outcome.result === "failed");
    console.print(
      `${images.length} course images: ${pulled} pulled, ${images.length - pulled - failed.length} already here, ${failed.length} failed`,
    );
    if (failed.length > 0) {
      console.stderr.write(
        "  Offline or rate-limited? Ask your trainer for their images server and run: pnpm images load --from http://TRAINER-ADDRESS:4300\n",
      );
    }
    return lib.pullExitCode(outcomes);
  }
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), file ?? DEFAULT_TARBALL);
  if (subcommand === "save") {
    const bytes = await lib.saveImages(
      engine,
      images.map((image) => image.ref),
      target,
      console,
    );
    console.print(`Saved ${images.length} images to ${target} (${lib.formatBytes(bytes)})`);
    return EXIT.ok;
  }
  const loaded = await lib.loadImages(engine, target);
  console.print(
    `Loaded ${loaded.length} image(s) from ${target}${loaded.length ? `: ${loaded.join(", ")}` : ""}`,
  );
  const missing = await lib.missingImages(engine, images);
  if (missing.length > 0) console.warn(`Still missing course images: ${missing.join(", ")}`);
  return EXIT.ok;
}

function bundleCache(value: unknown, env: Record<string, string | undefined>, leaf: string): string {
  return typeof value === "string"
    ? resolve(env.INIT_CWD ?? process.cwd(), value)
    : join(cacheDir(env), leaf);
}

async function serveImages(
  values: Record<string, unknown>,
  console: Console,
  env: Record<string, string | undefined>,
  stopSignal: Promise<void> | undefined,
): Promise<number> {
  const lib = await work();
  const port = lib.parsePort(String(values.port));
  const host = typeof values.host === "string" ? values.host : "127.0.0.1";
  const engine = await lib.connectEngine({ owner: "classroom:images", env });
  let refs = Array.isArray(values.image) ? (values.image as string[]) : [];
  if (refs.length === 0) {
    const course = await lib.listCourseImages(findRepoRoot());
    const missing = await lib.missingImages(engine, course);
    if (missing.length > 0)
      console.warn(`Not on this engine, so not served: ${missing.join(", ")} (pnpm images pull first)`);
    refs = course.map((image) => image.ref).filter((ref) => !missing.includes(ref));
  }
  if (refs.length === 0)
    throw new KitError("IMAGE_MISSING", "There is no course image on this engine to serve.", {
      hint: "pnpm images pull",
    });
  const bundles = await lib.prepareBundles(engine, refs, bundleCache(values.cache, env, "images"), console);
  const server = lib.createImageServer(bundles);
  const bound = await lib.listenOn(server, port, host);
  const addresses = lib.reachableAddresses(host, bound);
  const total = bundles.reduce((sum, bundle) => sum + bundle.size, 0);
  console.print(
    `Serving ${bundles.length} images (${lib.formatBytes(total)}), read-only, at: ${addresses.join("  ")}`,
  );
  console.print("Attendees type (with the address they can reach):");
  for (const address of addresses) console.print(`  pnpm images load --from ${address}`);
  if (host === "127.0.0.1" || host === "::1" || host === "localhost")
    console.info("Only this machine can reach it; --host 0.0.0.0 serves the room.");
  console.info("Ctrl-C stops the server.");
  await (stopSignal ?? untilStopped());
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return stopSignal ? EXIT.ok : EXIT.interrupted;
}

async function loadFrom(
  from: string,
  cache: unknown,
  console: Console,
  env: Record<string, string | undefined>,
): Promise<number> {
  let base: string;
  try {
    const url = new URL(from);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    base = url.origin;
  } catch {
    throw new KitError(
      "INVALID_INPUT",
      `--from ${from}: give the http://HOST:PORT address pnpm images serve printed (or its forwarded https:// URL).`,
    );
  }
  const lib = await work();
  const engine = await lib.connectEngine({ owner: "classroom:images", env });
  const outcomes = await lib.loadImagesFrom(engine, base, bundleCache(cache, env, "downloads"), console);
  const count = (result: string) => outcomes.filter((outcome) => outcome.result === result).length;
  console.print(
    `${outcomes.length} images from ${base}: ${count("loaded")} loaded, ${count("present")} already here, ${count("failed")} failed`,
  );
  return count("failed") > 0 ? EXIT.failure : EXIT.ok;
}

if (isEntryPoint(import.meta.url)) {
  useCompileCache();
  await runCli((console) => imagesMain(process.argv.slice(2), console));
}
