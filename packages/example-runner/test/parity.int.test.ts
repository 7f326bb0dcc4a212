import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { connectEngine, isEmptyReport } from "@bct/engine";
import { describeWithEngine, isCi } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { type LoadedExample, loadExamples } from "../src/loader.ts";
import { TRANSCRIPT_PLACEHOLDERS } from "../src/placeholders.ts";
import { printScript } from "../src/print-script.ts";
import { hostProbes, unmetRequirements } from "../src/requirements.ts";
import { runExample } from "../src/run-example.ts";
import type { Step } from "../src/schema.ts";
import { createdResources, stepCommand } from "../src/steps/index.ts";
import { capturedConsole } from "./capture.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const examples = await loadExamples(REPO_ROOT);
const named = (name: string): LoadedExample => examples.find((example) => example.name === name)!;
const TIMEOUT_MS = 30 * 60_000;

/** Where a run ended: the last step it started and how (0 ok, 1 unmet, 2 failure), plus what it said. */
interface Verdict {
  lastStep: number;
  exitCode: number;
  detail: string;
  /** What each step printed on stdout under its command, normalised (see normaliseOutput). */
  outputs: string[][];
}

async function runnerVerdict(example: LoadedExample): Promise<Verdict> {
  const engine = await connectEngine({ owner: `test:parity:${example.name}` });
  const { console, stdout, stderr } = capturedConsole();
  const report = await runExample(example, {
    engine,
    console,
    out: console.stdout,
    pullPolicy: "missing",
    keep: false,
  });
  const detail = `${stdout()}\n${stderr()}\n${report.error ? `${report.error.message}\n${report.error.hint ?? ""}` : ""}`;
  // Each step printed its command before running; nothing labelled with the run's session is left; build
  // output went to the run's work dir, never into the repository.
  for (const step of report.steps) expect(stdout(), detail).toContain(`$ ${step.command.split("\n")[0]}`);
  expect(await engine.listLabelled(engine.session.id)).toSatisfy(isEmptyReport);
  expect(existsSync(join(example.dir, "out"))).toBe(false);
  const outputs = stepOutputs(example, stdout(), (line) => /^[✓✗] /.test(line));
  return { lastStep: report.steps.length, exitCode: report.exitCode, detail, outputs };
}

function scriptVerdict(example: LoadedExample, session: string): Verdict {
  const result = spawnSync("bash", ["-s"], {
    input: printScript(example),
    encoding: "utf8",
    env: { ...process.env, BCT_PRINT_SESSION: session },
    timeout: TIMEOUT_MS,
  });
  const total = example.manifest.steps.length;
  const lastStep = [...result.stdout.matchAll(new RegExp(`^\\[(\\d+)/${total}\\] `, "gm"))].at(-1)?.[1];
  return {
    lastStep: lastStep ? Number(lastStep) : 0,
    exitCode: result.status ?? -1,
    detail: `${result.stdout}\n${result.stderr}`,
    outputs: stepOutputs(example, result.stdout, (line) => /^✓ \S+: every expectation met$/.test(line)),
  };
}

/**
 * Each step's stdout lines between its `$ command` and its end (the runner's ✓ line; the script's next
 * step or final line), normalised.
 */
function stepOutputs(example: LoadedExample, stdout: string, isEnd: (line: string) => boolean): string[][] {
  const steps = example.manifest.steps;
  const outputs: string[][] = steps.map(() => []);
  let current = -1;
  let commandLines = 0;
  for (const line of stdout.split("\n")) {
    const header = new RegExp(`^\\[(\\d+)/${steps.length}\\] `).exec(line);
    if (header) {
      current = Number(header[1]) - 1;
      commandLines = stepCommand(steps[current]!, TRANSCRIPT_PLACEHOLDERS).split("\n").length;
      continue;
    }
    if (current < 0) continue;
    if (isEnd(line)) {
      current = -1;
      continue;
    }
    if (commandLines > 0) {
      commandLines -= 1;
      continue;
    }
    const normalised = normaliseOutput(line);
    if (normalised !== undefined) outputs[current]!.push(normalised);
  }
  return outputs;
}

/**
 * What may differ between two runs of the same commands: ids, digests, times, sizes, the session's labels,
 * how many times the push CLI says a layer is waiting and how it says it got to the registry (the runner
 * pushed first), and column widths that follow from those.
 */
function normaliseOutput(line: string): string | undefined {
  if (/^[0-9a-f]{12}: (Waiting|Preparing)$/.test(line)) return undefined;
  return (
    line
      .replace(/sha256:[0-9a-f]{64}/g, "sha256:<digest>")
      .replace(/\b[0-9a-f]{64}\b/g, "<id>")
      .replace(/\b[0-9a-f]{12}\b/g, "<id>")
      .replace(/<id>: (Pushed|Layer already exists|Mounted from \S+)$/, "<id>: <pushed>")
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
      .replace(/\b[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [A-Z]+ \d{4}\b/g, "<date>")
      // The run's work folder: the runner's mkdtemp, the script's mktemp.
      .replace(/\/tmp\/(bct-[a-z0-9-]+-[A-Za-z0-9]{6}|tmp\.[A-Za-z0-9]{10})\b/g, "<workdir>")
      // ls -l's modification time.
      .replace(/\b[A-Z][a-z]{2} [ \d]\d \d\d:\d\d\b/g, "<mtime>")
      // ps's own line: its PID counts the processes started before it.
      .replace(/^\s*\d+ (\S+\s+(\d+:\d\d\s+)?ps)$/, "<pid> $1")
      // Go's log package, as a service in compose logs prints it.
      .replace(/\b\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\b/g, "<time>")
      .replace(
        /(Less than a second|About a minute|About an hour|\d+ (seconds?|minutes?|hours?)) ago/g,
        "<ago>",
      )
      .replace(/Up (Less than a second|About a minute|\d+ (seconds?|minutes?))/g, "Up <time>")
      .replace(/\b\d+(\.\d+)?\s?(B|kB|KB|MB|GB)\b/g, "<size>")
      .replace(/size: \d+/g, "size: <n>")
      .replace(/^(\w+\/\w+) \d+ user=/, "$1 <size> user=")
      .replace(/"bct\.(session|owner)": "[^"]*"/g, '"bct.$1": "<label>"')
      // make echoes the docker lines of build-container with the kit's --label flags ($BCT_LABELS).
      .replace(/ --label bct\.(session|owner)=\S+/g, " --label bct.$1=<label>")
      .replace(/\s{2,}/g, "  ")
      .trimEnd()
  );
}

/**
 * Build steps print BuildKit's log, which depends on the cache the first run filled, and so does compose up
 * when it builds (BuildKit also orders its parallel steps as they finish): not compared.
 */
const OUTPUT_NOT_COMPARED = new Set(["build", "compose-up"]);

/** Nothing of what the script created by name is left on the engine. */
function leftByScript(example: LoadedExample): string[] {
  return example.manifest.steps.flatMap(createdResources).flatMap(({ type, name }) => {
    if (type === "project") {
      const label = `label=com.docker.compose.project=${name}`;
      const left = ["ps -aq", "network ls -q", "volume ls -q", "images -q"].flatMap((list) =>
        spawnSync("docker", [...list.split(" "), "--filter", label], { encoding: "utf8" })
          .stdout.split("\n")
          .filter(Boolean),
      );
      return left.length > 0 ? [`project ${name}: ${left.join(" ")}`] : [];
    }
    const probe = spawnSync("docker", [type, "inspect", name], { encoding: "utf8" });
    return probe.status === 0 ? [`${type} ${name}`] : [];
  });
}

async function expectSameVerdict(example: LoadedExample, expected: { lastStep: number; exitCode: number }) {
  const runner = await runnerVerdict(example);
  expect({ lastStep: runner.lastStep, exitCode: runner.exitCode }, runner.detail).toEqual(expected);
  const session = `parity-${example.name}-${process.pid}`;
  const script = scriptVerdict(example, session);
  expect({ lastStep: script.lastStep, exitCode: script.exitCode }, script.detail).toEqual(expected);
  expect(leftByScript(example)).toEqual([]);
  if (expected.exitCode === 0) {
    const steps = example.manifest.steps;
    const compared = (outputs: string[][]) =>
      outputs.map((lines, index) =>
        OUTPUT_NOT_COMPARED.has(steps[index]!.kind) ? ["(build log not compared)"] : lines,
      );
    // Step by step, what the runner printed under each `$ docker …` is what the command printed in bash.
    expect(compared(runner.outputs), `runner:\n${runner.detail}\nscript:\n${script.detail}`).toEqual(
      compared(script.outputs),
    );
  }
  const labelled = spawnSync("docker", ["ps", "-aq", "--filter", `label=bct.session=${session}`], {
    encoding: "utf8",
  });
  expect(labelled.stdout.trim()).toBe("");
  return { runner, script };
}

/** The example with one step's expectation changed so that it cannot be met. */
function unmeetable(name: string, index: number, change: (step: Step) => void): LoadedExample {
  const example = structuredClone(named(name));
  const step = example.manifest.steps[index];
  if (!step) throw new Error(`${name} has no step ${index + 1}`);
  change(step);
  return example;
}

// CI has buildx, qemu and the registry, so there every example runs; elsewhere one whose `requires` are
// missing skips with the reason.
const probeEngine = await connectEngine({ owner: "test:parity:probe" }).catch(() => undefined);
const unmetOf = new Map<string, string[]>();
for (const example of examples) {
  const unmet = probeEngine
    ? await unmetRequirements(example.manifest.requires ?? [], hostProbes(probeEngine))
    : [];
  unmetOf.set(
    example.name,
    unmet.map((entry) => entry.problem),
  );
  if (unmet.length > 0 && !isCi())
    process.stderr.write(
      `[ SKIP ] parity of ${example.name}: ${unmet.map((entry) => entry.problem).join("; ")}\n`,
    );
}

describeWithEngine("the --print script reaches the runner's verdict, step by step", () => {
  for (const example of examples) {
    it.skipIf(unmetOf.get(example.name)!.length > 0 && !isCi())(
      `${example.name}: both meet every expectation of all ${example.manifest.steps.length} steps`,
      async () => {
        await expectSameVerdict(example, { lastStep: example.manifest.steps.length, exitCode: 0 });
      },
      TIMEOUT_MS,
    );
  }

  const unmet: Array<[string, string, number, (step: Step) => void, string]> = [
    [
      "run stdout",
      "cmd",
      2,
      (s) => {
        if (s.kind === "run") s.expect = { stdout: { equals: "1970-01-02 00:00:00" } };
      },
      "1970-01-02 00:00:00",
    ],
    [
      "ps state",
      "ports",
      2,
      (s) => {
        if (s.kind === "ps") s.expect.state = "exited";
      },
      "should be exited",
    ],
    [
      "http body",
      "ports",
      3,
      (s) => {
        if (s.kind === "http") s.expect.body = { contains: "no such text" };
      },
      "no such text",
    ],
    [
      "check-file content",
      "bind-mounts",
      3,
      (s) => {
        if (s.kind === "check-file") s.expect.content = { contains: "no such text" };
      },
      "no such text",
    ],
    [
      "inspect-image user",
      "my-hello-world",
      2,
      (s) => {
        if (s.kind === "inspect-image") s.expect.user = "12345";
      },
      "12345",
    ],
    [
      "volume-inspect driver",
      "volumes",
      3,
      (s) => {
        if (s.kind === "volume-inspect") s.expect = { driver: "nfs" };
      },
      "nfs",
    ],
    [
      "compose-logs -f",
      "compose",
      3,
      (s) => {
        if (s.kind === "compose-logs") s.expect = { stdout: { contains: "no such text" } };
      },
      "no such text",
    ],
    [
      "compose-ps stdout",
      "compose",
      1,
      (s) => {
        if (s.kind === "compose-ps") s.expect = { stdout: { contains: "no such service" } };
      },
      "no such service",
    ],
    [
      "shell stdout",
      "env",
      1,
      (s) => {
        if (s.kind === "shell") s.expect = { stdout: { contains: "no such text" } };
      },
      "no such text",
    ],
  ];
  it.each(unmet)(
    "an unmet %s fails both at the same step with exit 1, naming it",
    async (_, name, index, change, named) => {
      const example = unmeetable(name, index, change);
      const { runner, script } = await expectSameVerdict(example, { lastStep: index + 1, exitCode: 1 });
      expect(runner.detail).toContain(named);
      expect(script.detail).toContain(named);
    },
    TIMEOUT_MS,
  );
});
