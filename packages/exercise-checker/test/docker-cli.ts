import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Engine } from "@bct/engine";

const run = promisify(execFile);

/** Runs the docker CLI against the test's engine, as an attendee would type it (no kit labels). */
export async function docker(
  engine: Engine,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const { stdout } = await run("docker", args, {
    env: { ...engine.cliEnvironment(), ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
