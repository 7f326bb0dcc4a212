import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder name of the attendee's local, git-ignored state in the repository. */
export const STATE_FOLDER = ".bct";

/**
 * Where this attendee's record and class membership live: BCT_STATE_DIR when set, else .bct/ at the
 * repository root. Under a test runner (VITEST) without BCT_STATE_DIR there is none, so the kit's own
 * tests never write into the developer's record nor post to a class they joined.
 */
export function stateDir(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.BCT_STATE_DIR) return env.BCT_STATE_DIR;
  if (env.VITEST) return undefined;
  return join(repoRoot(), STATE_FOLDER);
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
