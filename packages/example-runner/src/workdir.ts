import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The per-run folder {{workdir}} stands for: created before the first step, removed after the last. */
export async function createWorkdir(exampleName: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bct-${exampleName}-`));
  // Containers running as a non-root user must be able to read what a write-file step puts here.
  await chmod(dir, 0o755);
  return dir;
}

export async function removeWorkdir(dir: string): Promise<string | undefined> {
  try {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  } catch (error) {
    return `Could not remove ${dir}: ${(error as Error).message} (a container may have written files as root there)`;
  }
}
