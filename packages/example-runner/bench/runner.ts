import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Console } from "@bct/cli";
import { connectEngine, type Engine } from "@bct/engine";
import { type LoadedExample, loadExamples } from "../src/loader.ts";
import { printScript } from "../src/print-script.ts";
import { runExample } from "../src/run-example.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const COMPARED = ["my-hello-world", "args", "ports"];
const ROUNDS = 3;
const silent = { write: () => true };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeRunner(example: LoadedExample, engine: Engine): Promise<number> {
  const started = performance.now();
  const report = await runExample(example, {
    engine,
    console: new Console(silent, silent, { NO_COLOR: "1" }),
    out: silent,
    pullPolicy: "missing",
    keep: false,
  });
  const elapsed = performance.now() - started;
  if (!report.ok)
    throw new Error(`${example.name} failed under the runner: ${JSON.stringify(report.steps.at(-1))}`);
  return elapsed;
}

function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(performance.now() - started);
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.slice(-400)}`));
    });
  });
}

/**
 * `pnpm example` versus the `--print` script under bash, warm cache, rounds interleaved: the runner in-process
 * (what the engine work costs) and as the CLI (plus Node's start-up), then `--all` once.
 */
export async function bench(): Promise<void> {
  const examples = await loadExamples(REPO_ROOT);
  const engine = await connectEngine({ owner: "bench:example-runner" });
  const env = {
    ...engine.cliEnvironment(),
    NODE_COMPILE_CACHE: join(REPO_ROOT, "node_modules/.cache/node-compile"),
  };
  const scripts = mkdtempSync(join(tmpdir(), "bct-bench-"));
  // As `pnpm example` runs it: node with its own type stripping and compile cache.
  const cli = [process.execPath, join(REPO_ROOT, "packages/example-runner/src/main.ts")];
  console.log(`example-runner: runner vs --print script under bash (warm cache, ${ROUNDS} rounds, median)`);
  console.log(
    `  ${"example".padEnd(16)} ${"runner".padStart(8)} ${"CLI".padStart(8)} ${"bash".padStart(8)} ${"runner/bash".padStart(12)} ${"CLI/bash".padStart(9)}`,
  );
  for (const name of COMPARED) {
    const example = examples.find((candidate) => candidate.name === name);
    if (!example) throw new Error(`no example ${name}`);
    const script = join(scripts, `${name}.sh`);
    writeFileSync(script, printScript(example));
    // Warm-up: images pulled and build cache filled for both paths.
    await timeRunner(example, await connectEngine({ owner: `bench:${name}` }));
    await timeCommand("bash", [script], env);
    const runner: number[] = [];
    const viaCli: number[] = [];
    const bash: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      runner.push(await timeRunner(example, await connectEngine({ owner: `bench:${name}` })));
      viaCli.push(await timeCommand(cli[0]!, [cli[1]!, name], env));
      bash.push(await timeCommand("bash", [script], env));
    }
    const [r, c, b] = [median(runner), median(viaCli), median(bash)];
    const verdict = c / b <= 1.1 ? "met" : "NOT met";
    console.log(
      `  ${name.padEnd(16)} ${ms(r)} ${ms(c)} ${ms(b)} ${(r / b).toFixed(2).padStart(12)} ${(c / b).toFixed(2).padStart(9)}   (target CLI/bash <= 1.10: ${verdict})`,
    );
  }
  if (process.env.BCT_BENCH_SKIP_ALL === "1") {
    console.log("  pnpm example --all: skipped (BCT_BENCH_SKIP_ALL=1)");
    await engine.cleanup();
    return;
  }
  const started = performance.now();
  let allOk = true;
  await timeCommand(cli[0]!, [cli[1]!, "--all"], env).catch((error: Error) => {
    allOk = false;
    console.log(`  --all failed: ${error.message.split("\n")[0]}`);
  });
  console.log(
    `  pnpm example --all: ${((performance.now() - started) / 1000).toFixed(1)} s${allOk ? "" : " (with failures)"}`,
  );
  await engine.cleanup();
}

function ms(value: number): string {
  return `${value.toFixed(0).padStart(5)} ms`;
}
