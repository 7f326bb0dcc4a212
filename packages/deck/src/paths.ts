import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface DeckPaths {
  repoRoot: string;
  deckDir: string;
  slidesDir: string;
  assetsDir: string;
  themeFile: string;
  distDir: string;
  artifactsDir: string;
}

/** Walks up from `start` to the folder holding pnpm-workspace.yaml. */
export function findRepoRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No pnpm-workspace.yaml above ${start}`);
    dir = parent;
  }
  return dir;
}

export function deckPaths(repoRoot = findRepoRoot(), distDir?: string): DeckPaths {
  const deckDir = join(repoRoot, "packages", "deck");
  return {
    repoRoot,
    deckDir,
    slidesDir: join(deckDir, "slides"),
    assetsDir: join(deckDir, "assets"),
    themeFile: join(deckDir, "theme", "bct.css"),
    distDir: distDir ?? join(deckDir, "dist"),
    artifactsDir: join(deckDir, "artifacts"),
  };
}
