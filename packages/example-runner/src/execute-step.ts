import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Console, Writable } from "@bct/cli";
import {
  BuildError,
  type Engine,
  formatBytes,
  KitError,
  labelFlags,
  type PullPolicy,
  PullProgressTracker,
  waitForHttp,
} from "@bct/engine";
import { toContainerSpec } from "./container-spec.ts";
import { type ImageRow, renderImageTable, renderPsTable } from "./docker-tables.ts";
import { checkProcess, checkText, joinOutput, trimTrailingNewlines } from "./expectations.ts";
import type { LoadedExample } from "./loader.ts";
import { SCRIPT_PLACEHOLDERS, substitute } from "./placeholders.ts";
import type { Step, StepOf } from "./schema.ts";
import { runBash } from "./shell.ts";
import { parseSize } from "./sizes.ts";

export interface StepContext {
  engine: Engine;
  example: LoadedExample;
  workdir: string;
  pullPolicy: PullPolicy;
  /** Where the step's own output goes (what `docker` would print). */
  out: Writable;
  console: Console;
  /** Images this example builds or tags: never pulled. */
  ownImages: Set<string>;
  /** Tags this run created on images it did not build, to remove at cleanup. */
  createdTags: string[];
}

export interface StepResult {
  /** Unmet expectations, one line each. */
  failures: string[];
  /** Things worth saying that are not failures (a skipped check and why). */
  notes: string[];
}

const ok = (notes: string[] = []): StepResult => ({ failures: [], notes });

/** Runs one step through the engine (or bash for `shell`) and checks its expectations. */
export async function executeStep(step: Step, context: StepContext): Promise<StepResult> {
  const { engine, out } = context;
  switch (step.kind) {
    case "pull":
      await pullImage(step.image, context, step.platform, "always-report");
      return ok();
    case "build":
      return build(step, context);
    case "run":
      return run(step, context);
    case "stop":
      await engine.containers.stop(step.container);
      out.write(`${step.container}\n`);
      return ok();
    case "start":
      await engine.containers.restart(step.container);
      out.write(`${step.container}\n`);
      return ok();
    case "kill":
      await engine.containers.kill(step.container, step.signal);
      out.write(`${step.container}\n`);
      return ok();
    case "rm":
      await engine.containers.remove(step.container, step.force ?? false);
      out.write(`${step.container}\n`);
      return ok();
    case "ps":
      return ps(step, context);
    case "exec": {
      const outcome = await engine.containers.exec(step.container, step.command, {
        user: step.user,
        env: step.env,
        workdir: step.workdir,
      });
      writeOutcome(out, context.console, outcome);
      if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
      return { failures: checkProcess(step.expect, outcome), notes: [] };
    }
    case "logs":
      return logs(step, context);
    case "http":
      return http(step, context);
    case "write-file": {
      const path = join(context.workdir, step.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, step.content);
      return ok();
    }
    case "check-file":
      return checkFile(step, context);
    case "inspect-image":
      return inspectImage(step, context);
    case "network-create":
      await engine.networks.create(step.name, step.driver);
      out.write(`${step.name}\n`);
      return ok();
    case "network-rm":
      await engine.networks.remove(step.name);
      out.write(`${step.name}\n`);
      return ok();
    case "volume-create":
      await engine.volumes.create(step.name);
      out.write(`${step.name}\n`);
      return ok();
    case "volume-rm":
      await engine.volumes.remove(step.name);
      out.write(`${step.name}\n`);
      return ok();
    case "volume-inspect": {
      const details = await engine.volumes.inspect(step.name);
      if (!details) throw new KitError("ENGINE_ERROR", `No volume named ${step.name}.`);
      out.write(`${JSON.stringify(details, null, 2)}\n`);
      const failures =
        step.expect?.driver !== undefined && details.driver !== step.expect.driver
          ? [`driver should be ${step.expect.driver}, was ${details.driver}`]
          : [];
      return { failures, notes: [] };
    }
    case "tag": {
      const existed = await engine.images.exists(step.target);
      await engine.images.tag(step.source, step.target);
      if (!existed) context.createdTags.push(step.target);
      return ok();
    }
    case "push": {
      const tracker = new PullProgressTracker();
      const { digest } = await engine.images.push(step.image, (event) => {
        tracker.update(event);
        context.console.progress(`Pushing ${step.image}: ${tracker.summary()}`);
      });
      context.console.endProgress();
      out.write(`${step.image}${digest ? `: digest: ${digest}` : ""}\n`);
      return ok();
    }
    case "rmi":
      await engine.images.remove(step.image);
      out.write(`Untagged: ${step.image}\n`);
      return ok();
    case "shell":
      return shell(step, context);
  }
}

/** Pulls by the run's policy; a pull step reports the image as present when it already was. */
export async function pullImage(
  image: string,
  context: StepContext,
  platform?: string,
  report: "always-report" | "quiet" = "quiet",
): Promise<void> {
  const tracker = new PullProgressTracker();
  const result = await context.engine.images.pull(image, {
    policy: context.pullPolicy,
    platform,
    onProgress: (event) => {
      tracker.update(event);
      context.console.progress(`Pulling ${image}: ${tracker.summary()}`);
    },
  });
  context.console.endProgress();
  if (result === "pulled") context.out.write(`Pulled ${image}\n`);
  else if (report === "always-report")
    context.out.write(`${image} is already here (pull policy ${context.pullPolicy})\n`);
}

async function build(step: StepOf<"build">, context: StepContext): Promise<StepResult> {
  const expectFailure = step.expect?.outcome === "failure";
  try {
    const result = await context.engine.images.build({
      context: join(context.example.dir, step.context),
      dockerfile: step.dockerfile,
      tags: [step.tag],
      buildArgs: step.buildArgs,
      target: step.target,
      timeoutMs: (step.timeoutSeconds ?? 600) * 1000,
      onLog: (line) => context.console.stderr.write(`${line}\n`),
    });
    if (expectFailure)
      return { failures: [`the build of ${step.tag} should fail, and succeeded`], notes: [] };
    return { failures: checkText("build log", result.log, step.expect?.output), notes: [] };
  } catch (error) {
    if (!(error instanceof BuildError) || !expectFailure) throw error;
    context.out.write(`${error.message}\n`);
    return {
      failures: checkText("build error", `${error.log}\n${error.message}`, step.expect?.output),
      notes: [],
    };
  }
}

async function run(step: StepOf<"run">, context: StepContext): Promise<StepResult> {
  if (!context.ownImages.has(step.image)) await pullImage(step.image, context, step.platform);
  const spec = toContainerSpec(step, { workdir: context.workdir, example: context.example.dir });
  if (step.detach) {
    const handle = await context.engine.containers.start(spec);
    context.out.write(`${handle.id}\n`);
    return ok();
  }
  const outcome = await context.engine.containers.run(
    spec,
    { onStdout: (text) => context.out.write(text), onStderr: (text) => context.console.stderr.write(text) },
    (step.timeoutSeconds ?? 300) * 1000,
    { keep: !step.rm },
  );
  if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
  return { failures: checkProcess(step.expect, outcome), notes: [] };
}

async function ps(step: StepOf<"ps">, context: StepContext): Promise<StepResult> {
  const { engine, out } = context;
  const ours = (await engine.containers.list({ all: step.all })).filter(
    (container) => container.labels["bct.session"] === engine.session.id,
  );
  out.write(renderPsTable(ours, Math.floor(Date.now() / 1000)));
  const state = await engine.containers.inspect(step.expect.container);
  const actual = !state
    ? "absent"
    : state.running
      ? "running"
      : state.status === "exited"
        ? "exited"
        : state.status;
  const failures =
    actual === step.expect.state
      ? []
      : [`container ${step.expect.container} should be ${step.expect.state}, is ${actual}`];
  return { failures, notes: [] };
}

async function logs(step: StepOf<"logs">, context: StepContext): Promise<StepResult> {
  const deadline = Date.now() + (step.timeoutSeconds ?? 10) * 1000;
  for (;;) {
    const outcome = await context.engine.containers.logs(step.container);
    const failures = [
      ...checkText("stdout", outcome.stdout, step.expect?.stdout),
      ...checkText("stderr", outcome.stderr, step.expect?.stderr),
      ...checkText("output", joinOutput(outcome.stdout, outcome.stderr), step.expect?.output),
    ];
    if (failures.length === 0 || Date.now() >= deadline) {
      writeOutcome(context.out, context.console, outcome);
      return { failures, notes: [] };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function http(step: StepOf<"http">, context: StepContext): Promise<StepResult> {
  const timeoutMs = (step.timeoutSeconds ?? 30) * 1000;
  let answer: { status: number; body: string };
  try {
    answer = await waitForHttp(step.url, { timeoutMs, status: step.expect.status });
  } catch (error) {
    if (error instanceof KitError && error.code === "TIMEOUT")
      return { failures: [error.message], notes: [] };
    throw error;
  }
  context.out.write(answer.body.endsWith("\n") ? answer.body : `${answer.body}\n`);
  return { failures: checkText("body", answer.body, step.expect.body), notes: [] };
}

async function checkFile(step: StepOf<"check-file">, context: StepContext): Promise<StepResult> {
  let content: string | undefined;
  try {
    content = await readFile(join(context.workdir, step.path), "utf8");
  } catch {
    content = undefined;
  }
  if (content === undefined) {
    context.out.write(`cat: ${step.path}: No such file or directory\n`);
    return { failures: step.expect.exists ? [`${step.path} should exist in the work dir`] : [], notes: [] };
  }
  context.out.write(content.endsWith("\n") || content === "" ? content : `${content}\n`);
  if (!step.expect.exists) return { failures: [`${step.path} should not exist`], notes: [] };
  return { failures: checkText(step.path, content, step.expect.content), notes: [] };
}

async function inspectImage(step: StepOf<"inspect-image">, context: StepContext): Promise<StepResult> {
  const details = await context.engine.images.inspect(step.image);
  const size = await context.engine.images.size(step.image);
  if (!details || !size) throw new KitError("IMAGE_MISSING", `Image ${step.image} is not on this engine.`);
  const failures: string[] = [];
  const notes: string[] = [];
  const expect = step.expect;
  const others = expect.relativeTo ? [expect.relativeTo.image] : [];
  if (expect.platform || expect.user) {
    // What `docker image inspect --format '{{.Os}}/{{.Architecture}} {{.Size}} user={{.Config.User}}'` prints.
    context.out.write(`${details.platform} ${details.size} user=${details.user}\n`);
  } else {
    const rows: ImageRow[] = [];
    for (const reference of [step.image, ...others]) {
      const usage = await context.engine.images.usage(reference);
      if (usage) rows.push({ ...usage, reference });
    }
    context.out.write(renderImageTable(rows));
  }
  if (expect.minSize || expect.maxSize) {
    const skip = sizeBoundsSkipReason(step.image, details.labels);
    if (skip) notes.push(skip);
    else {
      if (expect.minSize && size.bytes < parseSize(expect.minSize))
        failures.push(`size should be at least ${expect.minSize}, is ${formatBytes(size.bytes)}`);
      if (expect.maxSize && size.bytes > parseSize(expect.maxSize))
        failures.push(`size should be at most ${expect.maxSize}, is ${formatBytes(size.bytes)}`);
    }
  }
  if (expect.platform && details.platform !== expect.platform)
    failures.push(`platform should be ${expect.platform}, is ${details.platform}`);
  if (expect.user !== undefined && details.user !== expect.user)
    failures.push(`user should be ${expect.user || "(root)"}, is ${details.user || "(root)"}`);
  if (expect.relativeTo) {
    const other = await context.engine.images.inspect(expect.relativeTo.image);
    const otherSize = await context.engine.images.size(expect.relativeTo.image);
    if (!other || !otherSize)
      throw new KitError("IMAGE_MISSING", `Image ${expect.relativeTo.image} is not on this engine.`);
    const ratio = size.bytes / otherSize.bytes;
    notes.push(`${step.image} is ${ratio.toFixed(3)} × ${expect.relativeTo.image}`);
    const { maxRatio, minRatio } = expect.relativeTo;
    if (maxRatio !== undefined && ratio > maxRatio)
      failures.push(
        `size should be at most ${maxRatio} × ${expect.relativeTo.image}, is ${ratio.toFixed(3)} ×`,
      );
    if (minRatio !== undefined && ratio < minRatio)
      failures.push(
        `size should be at least ${minRatio} × ${expect.relativeTo.image}, is ${ratio.toFixed(3)} ×`,
      );
  }
  return { failures, notes };
}

/**
 * Absolute size bounds mean something only on the upstream images, or on a stand-in whose fidelity
 * test holds it close to the upstream image's size (label bct.standin.size-like-upstream).
 */
function sizeBoundsSkipReason(image: string, labels: Record<string, string>): string | undefined {
  if (labels["bct.standin"] !== "true" || labels["bct.standin.size-like-upstream"] === "true")
    return undefined;
  return `absolute size bounds skipped: ${image} is built on a stand-in image whose size is not kept close to the upstream one`;
}

async function shell(step: StepOf<"shell">, context: StepContext): Promise<StepResult> {
  const env = {
    ...context.engine.cliEnvironment(),
    ...step.env,
    BCT_LABELS: labelFlags(context.engine.session),
    WORKDIR: context.workdir,
    EXAMPLE_DIR: context.example.dir,
  };
  const outcome = await runBash(substitute(step.script, SCRIPT_PLACEHOLDERS), {
    cwd: context.example.dir,
    env,
    timeoutMs: (step.timeoutSeconds ?? 300) * 1000,
    onStdout: (text) => context.out.write(text),
    onStderr: (text) => context.console.stderr.write(text),
  });
  if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
  return { failures: checkProcess(step.expect, outcome), notes: [] };
}

function writeOutcome(out: Writable, console: Console, outcome: { stdout: string; stderr: string }): void {
  if (outcome.stdout) out.write(`${trimTrailingNewlines(outcome.stdout)}\n`);
  if (outcome.stderr) console.stderr.write(`${trimTrailingNewlines(outcome.stderr)}\n`);
}
