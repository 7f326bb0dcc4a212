import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildxStatus, connectEngine, labelFlags, MULTIARCH_PLATFORMS, registryAnswers } from "@bct/engine";
import { findRepoRoot } from "../src/repo-root.ts";

const run = promisify(execFile);
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The multi-arch example's build with a warm cache: three platforms versus one, and the push of the
 * manifest list to the local registry, interleaved round by round (the first round warms the cache).
 */
export async function bench(): Promise<void> {
  const engine = await connectEngine({ owner: "bench:multiarch" });
  const env = engine.cliEnvironment();
  const context = join(findRepoRoot(), "examples/multi-arch");
  const labels = labelFlags(engine.session).split(" ");
  const status = await buildxStatus(env);
  const load = status.driver === "docker";
  const pushable = await registryAnswers();
  const local = `bct-bench/multi-arch:${engine.session.id}`;
  const remote = `localhost:5000/bct-bench/multi-arch:${engine.session.id}`;
  const build = async (platforms: readonly string[], tag: string, output: "--load" | "--push") => {
    const started = performance.now();
    await run(
      "docker",
      [
        "buildx",
        "build",
        "--platform",
        platforms.join(","),
        "--provenance=false",
        ...labels,
        "-t",
        tag,
        output,
        context,
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
    return performance.now() - started;
  };
  try {
    const three: number[] = [];
    const one: number[] = [];
    const push: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      const threeMs = load
        ? await build(MULTIARCH_PLATFORMS, pushable ? remote : local, "--load")
        : await build(MULTIARCH_PLATFORMS, remote, "--push");
      const oneMs = await build(["linux/amd64"], `${local}-amd64`, load ? "--load" : "--push");
      let pushMs = Number.NaN;
      if (load && pushable) {
        const started = performance.now();
        await run("docker", ["push", remote], { env });
        pushMs = performance.now() - started;
      }
      if (round === 0) continue;
      three.push(threeMs);
      one.push(oneMs);
      push.push(pushMs);
    }
    const threeMedian = median(three);
    const oneMedian = median(one);
    console.log(
      `multi-arch example build, warm cache (${ROUNDS} rounds after one warm-up, median; builder ${status.builder} / ${status.driver} driver)`,
    );
    console.log(`  buildx, linux/amd64 + arm64 + arm/v7   ${threeMedian.toFixed(0).padStart(6)} ms`);
    console.log(`  buildx, linux/amd64 only               ${oneMedian.toFixed(0).padStart(6)} ms`);
    console.log(
      `  ratio three / one                      ${(threeMedian / oneMedian).toFixed(2).padStart(6)}`,
    );
    if (load && pushable) {
      const pushMedian = median(push);
      console.log(`  docker push of the manifest list       ${pushMedian.toFixed(0).padStart(6)} ms`);
      console.log(
        `  build + push (what step 1 waits for)   ${(threeMedian + pushMedian).toFixed(0).padStart(6)} ms`,
      );
    } else if (!pushable) {
      console.log("  (no registry on localhost:5000: push not measured)");
    }
  } finally {
    await engine.cleanup();
  }
}
