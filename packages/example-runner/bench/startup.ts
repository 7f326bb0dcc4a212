import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const ROUNDS = 15;
/** As the root package.json's scripts run the commands: Node's own type stripping, its compile cache on. */
const ENV = {
  ...process.env,
  NODE_COMPILE_CACHE: join(REPO_ROOT, "node_modules/.cache/node-compile"),
  NO_COLOR: "1",
};

function time(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env: ENV, cwd: REPO_ROOT, stdio: "ignore" });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The process part of `pnpm example --help` (and the other commands' --help) next to a bare `node -e 0`. */
export async function bench(): Promise<void> {
  const commands: Array<[string, string]> = [
    ["pnpm example --help", "packages/example-runner/src/main.ts"],
    ["pnpm check-exercise --help", "packages/exercise-checker/src/main.ts"],
    ["pnpm deck --help", "packages/deck/src/main.ts"],
    ["pnpm images --help", "packages/classroom/src/images.ts"],
    ["pnpm exec doctor --help", "packages/classroom/src/doctor.ts"],
  ];
  for (const [, file] of commands) time([file, "--help"]); // fills the compile cache, as a first use does
  const bare: number[] = [];
  const byCommand = new Map<string, number[]>(commands.map(([label]) => [label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(time(["-e", "0"]));
    for (const [label, file] of commands) byCommand.get(label)!.push(time([file, "--help"]));
  }
  const base = median(bare);
  console.log(
    `startup: node process of each command's --help vs node -e 0 (${ROUNDS} rounds interleaved, median)`,
  );
  console.log(`  ${"node -e 0".padEnd(28)} ${base.toFixed(0).padStart(5)} ms`);
  for (const [label, times] of byCommand) {
    const ratio = median(times) / base;
    const target =
      label === "pnpm example --help" ? `   (target <= 4: ${ratio <= 4 ? "met" : "NOT met"})` : "";
    console.log(
      `  ${label.padEnd(28)} ${median(times).toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)} x${target}`,
    );
  }
}
