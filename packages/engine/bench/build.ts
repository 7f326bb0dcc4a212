import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildxEnvironment } from "../src/buildx.ts";
import { connectEngine } from "../src/engine.ts";

const run = promisify(execFile);
const COLD_ROUNDS = 7;
const WARM_ROUNDS = 7;
const TARGET_RATIO = 1.1;

const DOCKERFILE = `FROM alpine:3.24
COPY nonce.txt /nonce.txt
RUN for i in $(seq 1 20000); do echo "line $i"; done > /lines.txt && wc -l /lines.txt
COPY app/ /app/
RUN find /app -type f | sort | xargs cat | wc -c > /app-size.txt
CMD ["cat", "/app-size.txt"]
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function inTurn(
  round: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<[number, number]> {
  if (round % 2 === 0) return [await a(), await b()];
  const second = await b();
  return [await a(), second];
}

/** A context whose nonce decides whether BuildKit's cache has its steps: a new nonce is a cold build. */
function writeContext(dir: string, nonce: string): void {
  writeFileSync(join(dir, "Dockerfile"), DOCKERFILE);
  writeFileSync(join(dir, "nonce.txt"), `${nonce}\n`);
}

/**
 * A build through the engine package (docker buildx build with rawjson progress, --label, --iidfile,
 * rendered like plain progress) versus the bare `docker buildx build` an attendee types, same context,
 * interleaved: cold (every step runs) and warm (every step cached).
 */
export async function bench(): Promise<void> {
  const engine = await connectEngine({ owner: "bench:build" });
  const env = buildxEnvironment(engine.endpoint.host, process.env);
  const root = mkdtempSync(join(tmpdir(), "bct-bench-build-"));
  const cliTags: string[] = [];
  const viaEngine = async (dir: string, tag: string) => {
    const started = performance.now();
    await engine.images.build({ context: dir, tags: [tag], onLog: () => {} });
    return performance.now() - started;
  };
  const viaCli = async (dir: string, tag: string) => {
    const started = performance.now();
    await run("docker", ["buildx", "build", "--load", "-t", tag, dir], { env: env as NodeJS.ProcessEnv });
    cliTags.push(tag);
    return performance.now() - started;
  };
  try {
    const contexts = { engine: join(root, "engine"), cli: join(root, "cli") };
    for (const dir of Object.values(contexts)) {
      mkdirSync(join(dir, "app"), { recursive: true });
      for (let file = 0; file < 200; file++)
        writeFileSync(join(dir, "app", `file-${file}.txt`), `${file}\n`.repeat(50));
    }
    const session = engine.session.id;
    const cold = { engine: [] as number[], cli: [] as number[] };
    for (let round = 0; round <= COLD_ROUNDS; round++) {
      writeContext(contexts.engine, `engine-${session}-${round}`);
      writeContext(contexts.cli, `cli-${session}-${round}`);
      // Alternate who goes first, so neither always finds the other's work fresh in the caches.
      const [engineMs, cliMs] = await inTurn(
        round,
        () => viaEngine(contexts.engine, `bct-bench/build-engine:${session}`),
        () => viaCli(contexts.cli, `bct-bench/build-cli:${session}`),
      );
      if (round === 0) continue; // warm-up: the base image and the docker CLI's first start
      cold.engine.push(engineMs);
      cold.cli.push(cliMs);
    }
    const warm = { engine: [] as number[], cli: [] as number[] };
    for (let round = 0; round <= WARM_ROUNDS; round++) {
      const [engineMs, cliMs] = await inTurn(
        round,
        () => viaEngine(contexts.engine, `bct-bench/build-engine:${session}`),
        () => viaCli(contexts.cli, `bct-bench/build-cli:${session}`),
      );
      if (round === 0) continue;
      warm.engine.push(engineMs);
      warm.cli.push(cliMs);
    }
    console.log(
      "engine: build an image, engine package versus bare docker buildx build (same context, median)",
    );
    for (const [label, rounds, times] of [
      ["cold", COLD_ROUNDS, cold],
      ["warm", WARM_ROUNDS, warm],
    ] as const) {
      const engineMs = median(times.engine);
      const cliMs = median(times.cli);
      const ratio = engineMs / cliMs;
      console.log(
        `  ${label} (${rounds} rounds)  engine ${engineMs.toFixed(0).padStart(6)} ms   docker buildx build ${cliMs.toFixed(0).padStart(6)} ms   ratio ${ratio.toFixed(2)}  (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "NOT met"})`,
      );
    }
  } finally {
    for (const tag of new Set(cliTags))
      await run("docker", ["image", "rm", tag], { env: env as NodeJS.ProcessEnv }).catch(() => undefined);
    await engine.cleanup();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
