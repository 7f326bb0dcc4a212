#!/usr/bin/env node
import { relative } from "node:path";
import {
  type Console,
  parseCommandArgs,
  renderHelp,
  runCli,
  runSubcommand,
  untilStopped,
  useCompileCache,
} from "@bct/cli";
import { EXIT, KitError } from "@bct/errors";
import { buildCommand, deckCommand, serveCommand } from "./commands.ts";
import { deckPaths } from "./paths.ts";

async function main(console: Console): Promise<number> {
  const argv = process.argv.slice(2);
  const words = argv[0] === "--" ? argv.slice(1) : argv;
  if (words[0] === undefined || words[0] === "--help" || words[0] === "-h") {
    console.stdout.write(renderHelp(deckCommand));
    return words[0] === undefined ? EXIT.failure : EXIT.ok;
  }
  return runSubcommand(
    words,
    { build: (rest) => build(console, rest), serve: (rest) => serve(console, rest) },
    { usage: "pnpm deck" },
  );
}

async function build(console: Console, argv: string[]): Promise<number> {
  const args = parseCommandArgs(buildCommand, argv);
  if (args.help) {
    console.stdout.write(renderHelp(buildCommand));
    return EXIT.ok;
  }
  // Marp and the runner load only when there is work to do: --help stays instant.
  const { buildDeck } = await import("./build.ts");
  const { runnerExampleSource } = await import("./example-source.ts");
  const out = args.values.out;
  const paths = deckPaths(undefined, typeof out === "string" ? out : undefined);
  const result = await buildDeck({
    paths,
    source: runnerExampleSource(),
    formats: args.values["html-only"] ? ["html"] : ["html", "pdf"],
    log: (message) => console.info(message),
  });
  if (args.values.json) {
    console.print(JSON.stringify(result, null, 2));
    return EXIT.ok;
  }
  const where = (file: string | undefined) => (file ? relative(process.cwd(), file) : undefined);
  console.print(
    `Deck built: ${result.slideCount} slides, ${result.examplesReferenced.length} examples shown`,
  );
  for (const file of [result.htmlFile, result.pdfFile]) if (file) console.print(`  ${where(file)}`);
  return EXIT.ok;
}

async function serve(console: Console, argv: string[]): Promise<number> {
  const args = parseCommandArgs(serveCommand, argv);
  if (args.help) {
    console.stdout.write(renderHelp(serveCommand));
    return EXIT.ok;
  }
  const port = Number(args.values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KitError("INVALID_INPUT", `--port must be a number from 1 to 65535, got "${args.values.port}"`);
  }
  const { serveDeck } = await import("./serve.ts");
  const { runnerExampleSource } = await import("./example-source.ts");
  const server = await serveDeck({
    paths: deckPaths(),
    source: runnerExampleSource(),
    port,
    host: String(args.values.host),
    log: (message) => console.info(message),
    warn: (message) => console.warn(message),
  });
  console.print(
    `Serving the deck on ${server.url} (bound to ${args.values.host}:${server.port}; Ctrl+C stops)`,
  );
  await untilStopped();
  await server.close();
  return EXIT.interrupted;
}

useCompileCache();
await runCli(main);
