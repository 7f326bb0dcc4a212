import { spawn } from "node:child_process";
import { KitError } from "@bct/engine";
import type { ProcessOutcome } from "./expectations.ts";

export interface ShellOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
}

/** Runs a bash script, streaming and collecting its output; a timeout kills it and is an error. */
export function runBash(script: string, options: ShellOptions): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk.toString());
      options.onStdout?.(chunk.toString());
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr.push(chunk.toString());
      options.onStderr?.(chunk.toString());
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new KitError("COMMAND_FAILED", `Could not start bash: ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new KitError(
            "TIMEOUT",
            `The shell step ran longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped.`,
          ),
        );
        return;
      }
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: stdout.join(""), stderr: stderr.join("") });
    });
  });
}
