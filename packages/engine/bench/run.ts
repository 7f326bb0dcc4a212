import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { connectEngine } from "../src/engine.ts";

const run = promisify(execFile);
const IMAGE = "alpine:3.24";
const ROUNDS = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs a container and captures its output: the engine package versus `docker run --rm`, interleaved. */
export async function bench(): Promise<void> {
  const engine = await connectEngine({ owner: "bench:engine" });
  try {
    await engine.images.pull(IMAGE);
    const viaEngine: number[] = [];
    const viaCli: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      let started = performance.now();
      const result = await engine.containers.run({ image: IMAGE, command: ["echo", "hello"] });
      const engineMs = performance.now() - started;
      if (result.stdout !== "hello\n") throw new Error(`engine run printed ${JSON.stringify(result.stdout)}`);

      started = performance.now();
      const cli = await run("docker", ["run", "--rm", IMAGE, "echo", "hello"]);
      const cliMs = performance.now() - started;
      if (cli.stdout !== "hello\n") throw new Error(`docker run printed ${JSON.stringify(cli.stdout)}`);

      if (round === 0) continue; // warm-up
      viaEngine.push(engineMs);
      viaCli.push(cliMs);
    }
    const engineMedian = median(viaEngine);
    const cliMedian = median(viaCli);
    const ratio = engineMedian / cliMedian;
    console.log(`engine: run a container and capture its output (${ROUNDS} rounds, median)`);
    console.log(`  engine package     ${engineMedian.toFixed(0).padStart(6)} ms`);
    console.log(`  docker run --rm    ${cliMedian.toFixed(0).padStart(6)} ms`);
    console.log(
      `  ratio engine/cli   ${ratio.toFixed(2).padStart(6)}   (target <= 1.20: ${ratio <= 1.2 ? "met" : "NOT met"})`,
    );
  } finally {
    await engine.cleanup();
  }
}
