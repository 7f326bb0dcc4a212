import { realpathSync } from "node:fs";
import module from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "./repo-root.ts";

/** True when the module at `moduleUrl` is the script node was started with (links resolved, as node does). */
export function isEntryPoint(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  const script = argv[1];
  if (script === undefined) return false;
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(script) === real(fileURLToPath(moduleUrl));
}

/**
 * Keeps Node's compile cache in node_modules/.cache/node-compile for what the command imports from here on:
 * called first thing when a command starts, it covers the heavy parts each command imports after --help.
 */
export function useCompileCache(): void {
  module.enableCompileCache?.(join(findRepoRoot(), "node_modules/.cache/node-compile"));
}
