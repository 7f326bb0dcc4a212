#!/usr/bin/env node
import {
  type Console,
  closestMatch,
  findRepoRoot,
  isEntryPoint,
  parseCommandArgs,
  renderHelp,
  runCli,
  runSubcommand,
  useCompileCache,
} from "@bct/cli";
// Only what --help needs loads up front; the engine, the schema and the runner load when there is work.
import type { Engine, PullPolicy } from "@bct/engine";
import { EXIT, KitError } from "@bct/errors";
import { cleanCommand, exampleCommand } from "./cli-spec.ts";
import type { LoadedExample } from "./loader.ts";
import type { RecordedRun } from "./record/record-run.ts";
import type { ExampleReport } from "./report.ts";

const POLICIES: PullPolicy[] = ["missing", "always", "never"];
type Connect = (owner: string) => Promise<Engine>;

export interface MainOptions {
  repoRoot?: string;
  env?: Record<string, string | undefined>;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export async function main(argv: string[], console: Console, options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  // BCT_SESSION_ID lets a test know the session a run labels its resources with.
  const connect = async (owner: string) => {
    const { connectEngine } = await import("@bct/engine");
    return connectEngine({ owner, env, sessionId: env.BCT_SESSION_ID || undefined });
  };
  // `pnpm example -- clean` hands the "--" through: runSubcommand drops it.
  return runSubcommand(
    argv,
    { clean: (rest) => clean(rest, console, connect) },
    { usage: "pnpm example", otherwise: (words) => runExamples(words, console, options, connect) },
  );
}

async function runExamples(
  words: string[],
  console: Console,
  options: MainOptions,
  connect: Connect,
): Promise<number> {
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const args = parseCommandArgs(exampleCommand, words);
  if (args.help) {
    console.print(renderHelp(exampleCommand).trimEnd());
    return EXIT.ok;
  }
  const { loadExample, loadExamples } = await import("./loader.ts");
  const policy = args.values.pull as PullPolicy;
  if (!POLICIES.includes(policy)) {
    throw new KitError("INVALID_INPUT", `Unknown pull policy '${policy}'.`, {
      hint: `Use one of: ${POLICIES.join(", ")}`,
    });
  }
  const json = args.values.json === true;
  if (args.values.all)
    return runAll(
      await loadExamples(repoRoot),
      console,
      policy,
      json,
      connect,
      args.values.record ? repoRoot : undefined,
    );
  const [name, ...extra] = args.positionals;
  if (extra.length > 0)
    throw new KitError("INVALID_INPUT", `One example at a time (got ${args.positionals.join(", ")}).`, {
      hint: "Use --all to run every example.",
    });
  if (!name) {
    if (args.values.print)
      throw new KitError("INVALID_INPUT", "--print needs an example name.", {
        hint: "pnpm example --print ports",
      });
    await list(await loadExamples(repoRoot), console, json);
    return EXIT.ok;
  }
  // One example needs only its own manifest; the others are read to suggest a name.
  const example = (await loadExample(repoRoot, name)) ?? findExample(await loadExamples(repoRoot), name);
  if (args.values.print) {
    const { printScript } = await import("./print-script.ts");
    console.stdout.write(printScript(example));
    return EXIT.ok;
  }
  const [engine, { runExample }] = await Promise.all([
    connect(`example:${example.name}`),
    import("./run-example.ts"),
  ]);
  const out = json ? console.stderr : console.stdout;
  const { renderSummary } = await import("./summary.ts");
  const { Presenter } = await import("./presenter.ts");
  const runOptions = {
    engine,
    console,
    out,
    pullPolicy: policy,
    keep: args.values.keep === true,
    presenter: args.values.step
      ? new Presenter(options.stdin ?? process.stdin, (text) => console.info(text))
      : undefined,
  };
  const record = args.values.record
    ? await (await import("./record/record-run.ts")).recordExample(example, runOptions, repoRoot)
    : undefined;
  const report = record?.report ?? (await runExample(example, runOptions));
  out.write(renderSummary(report, json ? console.err : console.out));
  if (record) reportRecording(record, console);
  if (json) console.print(JSON.stringify(report, null, 2));
  if (report.error) {
    console.error(report.error.message);
    if (report.error.hint) console.stderr.write(`${report.error.hint.replace(/^/gm, "  ")}\n`);
  }
  return report.exitCode;
}

function reportRecording(record: RecordedRun, console: Console): void {
  if (record.file) console.info(`Recorded every step's output in ${record.file}`);
  else console.warn(`Not recorded: ${record.notRecorded}`);
}

function findExample(examples: LoadedExample[], name: string): LoadedExample {
  const found = examples.find((example) => example.name === name);
  if (found) return found;
  const suggestion = closestMatch(
    name,
    examples.map((example) => example.name),
  );
  throw new KitError(
    "INVALID_INPUT",
    `There is no example named '${name}'.${suggestion ? ` Did you mean '${suggestion}'?` : ""}`,
    {
      hint: suggestion ? `pnpm example ${suggestion}` : "List the examples with: pnpm example",
    },
  );
}

async function list(examples: LoadedExample[], console: Console, json: boolean): Promise<void> {
  const { SECTIONS } = await import("./schema.ts");
  if (json) {
    console.print(
      JSON.stringify(
        examples.map(({ name, manifest }) => ({
          name,
          section: manifest.section,
          title: manifest.title,
          description: manifest.description,
        })),
        null,
        2,
      ),
    );
    return;
  }
  const width = Math.max(...examples.map((example) => example.name.length));
  console.print("Examples (run one with: pnpm example <name>)");
  for (const section of SECTIONS) {
    const inSection = examples.filter((example) => example.manifest.section === section);
    if (inSection.length === 0) continue;
    console.print("");
    console.print(console.out.bold(section));
    for (const example of inSection)
      console.print(`  ${example.name.padEnd(width)}  ${example.manifest.description}`);
  }
}

async function runAll(
  examples: LoadedExample[],
  console: Console,
  policy: PullPolicy,
  json: boolean,
  connect: Connect,
  recordIn?: string,
): Promise<number> {
  const out = json ? console.stderr : console.stdout;
  const paint = json ? console.err : console.out;
  const { runExample } = await import("./run-example.ts");
  const { renderSummary, renderTable } = await import("./summary.ts");
  const { recordExample } = await import("./record/record-run.ts");
  const reports: ExampleReport[] = [];
  const started = performance.now();
  for (const [index, example] of examples.entries()) {
    const engine = await connect(`example:${example.name}`);
    const position = { index: index + 1, total: examples.length };
    const runOptions = { engine, console, out, pullPolicy: policy, keep: false, position };
    const record = recordIn ? await recordExample(example, runOptions, recordIn) : undefined;
    const report = record?.report ?? (await runExample(example, runOptions));
    out.write(renderSummary(report, paint));
    if (record) reportRecording(record, console);
    if (report.error) console.error(report.error.message);
    reports.push(report);
    out.write("\n");
  }
  const totalMs = performance.now() - started;
  out.write(renderTable(reports, paint, totalMs));
  const ok = reports.every((report) => report.ok);
  if (json) console.print(JSON.stringify({ ok, durationMs: totalMs, examples: reports }, null, 2));
  return ok ? EXIT.ok : EXIT.unmet;
}

async function clean(argv: string[], console: Console, connect: Connect): Promise<number> {
  const args = parseCommandArgs(cleanCommand, argv);
  if (args.help) {
    console.print(renderHelp(cleanCommand).trimEnd());
    return EXIT.ok;
  }
  if (args.positionals.length > 0)
    throw new KitError("INVALID_INPUT", `clean takes no name (got ${args.positionals.join(", ")}).`);
  const engine = await connect("example:clean");
  const { formatBytes, isEmptyReport } = await import("@bct/engine");
  const removed = await engine.sweep();
  const pruned = args.values["build-cache"] === true ? await engine.buildCache.prune() : undefined;
  const buildCache = await engine.buildCache.usage();
  if (args.values.json) {
    console.print(JSON.stringify({ ...removed, buildCache: { ...buildCache, ...pruned } }, null, 2));
    return EXIT.ok;
  }
  if (isEmptyReport(removed)) console.print("Nothing to remove: the engine holds nothing the kit created.");
  else {
    console.print("Removed what the kit had created:");
    for (const [kind, names] of Object.entries(removed))
      if (names.length > 0) console.print(`  ${kind}: ${names.join(", ")}`);
  }
  console.print(
    pruned
      ? `Build cache emptied: ${formatBytes(pruned.reclaimedBytes)} freed, ${formatBytes(buildCache.bytes)} still in use.`
      : `Build cache: ${formatBytes(buildCache.bytes)} in ${buildCache.entries} entries (${formatBytes(buildCache.reclaimableBytes)} unused), kept for faster builds; empty it with pnpm example clean --build-cache.`,
  );
  return EXIT.ok;
}

if (isEntryPoint(import.meta.url)) {
  useCompileCache();
  await runCli((console) => main(process.argv.slice(2), console));
}
