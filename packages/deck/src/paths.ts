import { join } from "node:path";
import { findRepoRoot } from "@bct/cli";

export { findRepoRoot } from "@bct/cli";

export interface DeckPaths {
  repoRoot: string;
  deckDir: string;
  slidesDir: string;
  assetsDir: string;
  themeFile: string;
  distDir: string;
  artifactsDir: string;
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
