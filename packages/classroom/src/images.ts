import { resolve } from "node:path";
import { type CommandSpec, type Console, closestMatch, parseCommandArgs, renderHelp, runCli } from "@bct/cli";
import { connectEngine, EXIT, formatBytes, KitError } from "@bct/engine";
import {
  DEFAULT_TARBALL,
  listCourseImages,
  loadImages,
  missingImages,
  printImageList,
  pullCourseImages,
  pullExitCode,
  saveImages,
} from "./image-commands.ts";
import { findRepoRoot, isEntryPoint } from "./repo-root.ts";

const SUBCOMMANDS = ["list", "pull", "save", "load"] as const;

export const imagesCommand: CommandSpec = {
  usage: "pnpm images",
  summary:
    "The upstream images the course uses, derived from the examples' manifests and Dockerfiles and the exercise.\n\n" +
    "  list           print each image and what uses it\n" +
    "  pull           pull the ones not on this engine (per-layer progress on stderr)\n" +
    `  save [file]    write them all into one tarball (default ${DEFAULT_TARBALL}) for an offline classroom\n` +
    "  load [file]    load such a tarball back",
  positionals: ["<list|pull|save|load>", "[file]"],
  options: {
    json: { type: "boolean", description: "list: print JSON ({ ref, usedBy }[])" },
    always: { type: "boolean", description: "pull: pull even the images already here" },
  },
  examples: [
    "pnpm images list --json",
    "pnpm images pull",
    "pnpm images save classroom.tar",
    "pnpm images load classroom.tar",
  ],
};

export async function imagesMain(argv: string[], console: Console): Promise<number> {
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
  const repoRoot = findRepoRoot();
  const images = await listCourseImages(repoRoot);
  if (subcommand === "list") {
    printImageList(images, console, args.values.json === true);
    return EXIT.ok;
  }
  const engine = await connectEngine({ owner: "classroom:images" });
  if (subcommand === "pull") {
    const outcomes = await pullCourseImages(
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
        "  Offline or rate-limited? Ask your trainer for the tarball and run: pnpm images load <file>\n",
      );
    }
    return pullExitCode(outcomes);
  }
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), file ?? DEFAULT_TARBALL);
  if (subcommand === "save") {
    const bytes = await saveImages(
      engine,
      images.map((image) => image.ref),
      target,
      console,
    );
    console.print(`Saved ${images.length} images to ${target} (${formatBytes(bytes)})`);
    return EXIT.ok;
  }
  const loaded = await loadImages(engine, target);
  console.print(
    `Loaded ${loaded.length} image(s) from ${target}${loaded.length ? `: ${loaded.join(", ")}` : ""}`,
  );
  const missing = await missingImages(engine, images);
  if (missing.length > 0) console.warn(`Still missing course images: ${missing.join(", ")}`);
  return EXIT.ok;
}

if (isEntryPoint(import.meta.url)) {
  await runCli((console) => imagesMain(process.argv.slice(2), console));
}
