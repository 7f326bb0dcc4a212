import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ContainerSpec, fetchText, type HttpAnswer } from "@bct/engine";
import { networkFailure } from "@bct/errors";
import { diagnoseStart, runtimeReason } from "../diagnoses/start.ts";
import type { CheckContext, CriterionRunner } from "./context.ts";

const MiB = 1024 * 1024;

/** The attendee's image is untrusted: limits, no capabilities, no privilege gain, read-only root. */
export function probeSpec(context: CheckContext, inputFile: string): ContainerSpec {
  const { exercise } = context;
  return {
    image: context.imageTag!,
    ports: [{ host: 0, container: exercise.app.port, hostIp: "127.0.0.1" }],
    mounts: [{ type: "bind", source: inputFile, target: exercise.app.inputPath, readOnly: true }],
    readOnlyRootfs: true,
    capDrop: ["ALL"],
    noNewPrivileges: true,
    limits: { memoryBytes: exercise.limits.memoryMegabytes * MiB, pids: exercise.limits.pids, cpus: 1 },
    labels: { "bct.exercise": exercise.id, "bct.role": "probe" },
  };
}

/** A temporary input file, readable by any user id the image may run as. */
function writeTemporaryInput(context: CheckContext, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "bct-check-"));
  chmodSync(dir, 0o755);
  context.temporaryPaths.push(dir);
  const file = join(dir, "input");
  writeFileSync(file, content, { mode: 0o644 });
  return file;
}

export const checkListens: CriterionRunner<"listens"> = async (criterion, context) => {
  const started = Date.now();
  try {
    return await startAndAwaitAnswer(criterion.withinSeconds * 1000, context);
  } finally {
    context.timings.probes = (context.timings.probes ?? 0) + (Date.now() - started);
  }
};

async function startAndAwaitAnswer(timeoutMs: number, context: CheckContext) {
  const { engine, exercise } = context;
  const inputFile = writeTemporaryInput(context, `checked by pnpm check-exercise ${engine.session.id}\n`);
  let handle: { id: string };
  try {
    handle = await engine.containers.start(probeSpec(context, inputFile));
  } catch (error) {
    const reason = runtimeReason((error as Error).message);
    return {
      status: "fail" as const,
      message: `The container did not start. The runtime's reason:\n${indent(reason)}`,
      measured: null,
      hint: await diagnoseStart(engine, context.imageTag!, reason),
      evidence: reason,
    };
  }
  const started = Date.now();
  const exited = async (exitCode: number) => {
    const log = await containerLog(context, handle.id);
    return {
      status: "fail" as const,
      message: `The container exited with code ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s.${log ? `\nIts log:\n${indent(log)}` : " It logged nothing."}`,
      measured: null,
      hint: await diagnoseStart(engine, context.imageTag!, log),
      evidence: log,
    };
  };
  const state = await engine.containers.inspect(handle.id);
  // A container that exits at once has no port bindings left to read.
  if (state && !state.running) return exited(state.exitCode);
  const hostPort = state?.ports.find((port) => port.container === exercise.app.port)?.host;
  if (!hostPort) {
    return {
      status: "fail" as const,
      message: "The engine published no host port for the container.",
      measured: null,
    };
  }
  const url = `http://127.0.0.1:${hostPort}/`;
  let lastError = "no attempt made";
  let nextStateCheck = 0;
  while (Date.now() - started < timeoutMs) {
    try {
      const answer = await fetchText(url, 1000);
      const seconds = (Date.now() - started) / 1000;
      context.probe = { id: handle.id, url, inputFile };
      return {
        status: "pass" as const,
        message: `answered HTTP ${answer.status} on port ${exercise.app.port} after ${seconds.toFixed(1)} s`,
        measured: Number(seconds.toFixed(2)),
      };
    } catch (error) {
      lastError = networkFailure(error);
    }
    if (Date.now() >= nextStateCheck) {
      nextStateCheck = Date.now() + 300;
      const now = await engine.containers.inspect(handle.id);
      if (now && !now.running) return exited(now.exitCode);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = await containerLog(context, handle.id);
  const image = await engine.images.inspect(context.imageTag!);
  const exposed = image?.exposedPorts.length ? ` The image EXPOSEs ${image.exposedPorts.join(", ")}.` : "";
  return {
    status: "fail" as const,
    message: `Nothing answered on container port ${exercise.app.port} within ${timeoutMs / 1000} s (last attempt: ${lastError}).${exposed}${log ? `\nThe container's log:\n${indent(log)}` : ""}`,
    measured: null,
    evidence: `${exposed}\n${log}`,
  };
}

export const checkServesInput: CriterionRunner<"serves-input"> = async (_criterion, context) => {
  const started = Date.now();
  try {
    const { url, inputFile } = context.probe!;
    const expected = readBack(inputFile);
    const answer = await fetchText(url, 3000);
    if (answer.status === 200 && answer.body === expected) {
      return {
        status: "pass",
        message: `answered 200 with the file's content: ${quote(answer.body)}`,
        measured: answer.body,
      };
    }
    return {
      status: "fail",
      message: `Expected 200 with ${quote(expected)} (the file at ${context.exercise.app.inputPath}); got ${describeAnswer(answer)}.`,
      measured: answer.body,
      evidence: answer.body,
    };
  } finally {
    context.timings.probes = (context.timings.probes ?? 0) + (Date.now() - started);
  }
};

export const checkFollowsEdits: CriterionRunner<"follows-edits"> = async (criterion, context) => {
  const started = Date.now();
  try {
    const { url, inputFile } = context.probe!;
    const edited = `edited in place at ${new Date().toISOString()}\n`;
    // Same inode on purpose: open with truncation, as `echo ... > input` does.
    writeFileSync(inputFile, edited);
    let answer: HttpAnswer | undefined;
    while (Date.now() - started < criterion.withinSeconds * 1000) {
      answer = await fetchText(url, 2000);
      if (answer.status === 200 && answer.body === edited) {
        const seconds = (Date.now() - started) / 1000;
        return {
          status: "pass",
          message: `the edit was served after ${seconds.toFixed(2)} s`,
          measured: Number(seconds.toFixed(2)),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      status: "fail",
      message: `After editing the file, ${criterion.withinSeconds} s later it still answered ${answer ? describeAnswer(answer) : "nothing"} instead of ${quote(edited)}.`,
      measured: answer?.body ?? null,
    };
  } finally {
    context.timings.probes = (context.timings.probes ?? 0) + (Date.now() - started);
  }
};

function readBack(file: string): string {
  return readFileSync(file, "utf8");
}

async function containerLog(context: CheckContext, id: string): Promise<string> {
  try {
    const { stdout, stderr } = await context.engine.containers.logs(id);
    return `${stdout}${stderr}`.trim().split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

export function describeAnswer(answer: HttpAnswer): string {
  return `${answer.status} with ${quote(answer.body)}`;
}

export function quote(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 119)}…` : text;
  return JSON.stringify(shown);
}

function indent(text: string): string {
  return text.replace(/^/gm, "  ");
}
