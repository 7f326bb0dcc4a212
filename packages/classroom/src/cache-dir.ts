import { homedir } from "node:os";
import { join } from "node:path";

/** Where the kit keeps files it can make again: BCT_CACHE_DIR, else $XDG_CACHE_HOME/bct, else ~/.cache/bct. */
export function cacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.BCT_CACHE_DIR) return env.BCT_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "bct");
}
