import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import dockerignore from "@balena/dockerignore";
import tar from "tar-fs";

/**
 * Packs a build context as the Docker CLI would: every file under the folder except what
 * .dockerignore excludes; the Dockerfile and .dockerignore themselves are always sent.
 */
export function packBuildContext(contextDir: string, dockerfile: string): Readable {
  const ignorePath = join(contextDir, ".dockerignore");
  const rules = existsSync(ignorePath) ? readFileSync(ignorePath, "utf8") : "";
  const matcher = (dockerignore as unknown as DockerIgnoreFactory)({ ignorecase: false }).add(rules);
  const alwaysSent = new Set([dockerfile.split(sep).join("/"), ".dockerignore"]);
  return tar.pack(contextDir, {
    entries: readdirSync(contextDir),
    ignore: (absolutePath: string) => {
      const path = relative(contextDir, absolutePath).split(sep).join("/");
      if (path === "" || alwaysSent.has(path)) return false;
      return matcher.ignores(path);
    },
  });
}

type DockerIgnoreFactory = (options: { ignorecase: boolean }) => {
  add(rules: string): { ignores(path: string): boolean };
};
