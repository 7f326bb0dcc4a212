// `pnpm test`: every package's tests as turbo tasks, one package at a time (the engine tests share one
// engine), then one closing line for the whole run. With BCT_IMAGES=upstream it first refuses stand-ins.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

if (process.env.BCT_IMAGES === "upstream") {
  const { default: refuseStandIns } = await import("../packages/image-fidelity/src/refuse-stand-ins.ts");
  try {
    await refuseStandIns();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const dir = mkdtempSync(join(tmpdir(), "bct-test-"));
const tally = join(dir, "tally.jsonl");
const turbo = spawnSync(
  "pnpm",
  [
    "exec",
    "turbo",
    "run",
    "test",
    "test:workspace",
    "--concurrency=1",
    "--continue",
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, BCT_TEST_TALLY: tally } },
);
let text = "";
try {
  text = readFileSync(tally, "utf8");
} catch {
  // no package reported: counted as nothing run
}
rmSync(dir, { recursive: true, force: true });
const total = { passed: 0, failed: 0, skipped: 0 };
for (const line of text.split("\n").filter(Boolean)) {
  const counts = JSON.parse(line) as typeof total;
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}
process.stdout.write(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
// A skip CI may not have fails the run even where vitest itself passed.
process.exit(total.failed > 0 && turbo.status === 0 ? 1 : (turbo.status ?? 2));
