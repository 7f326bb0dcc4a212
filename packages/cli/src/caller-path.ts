import { resolve } from "node:path";

/**
 * A path the user typed, made absolute against the folder they typed it in. `pnpm <script>` runs in the
 * repository root but sets INIT_CWD to the caller's folder.
 */
export function callerPath(path: string, env: Record<string, string | undefined> = process.env): string {
  return resolve(env.INIT_CWD || process.cwd(), path);
}
