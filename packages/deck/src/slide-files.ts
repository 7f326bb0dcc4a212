import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { SlideSource } from "./preprocess.ts";

/** The course parts in file-name order (`00-title.md`, `10-basics.md`, ...). */
export function readSlideFiles(slidesDir: string, repoRoot: string): SlideSource[] {
  return readdirSync(slidesDir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => {
      const path = join(slidesDir, name);
      return { file: relative(repoRoot, path), text: readFileSync(path, "utf8") };
    });
}
