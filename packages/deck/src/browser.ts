import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/**
 * A Chromium to print the PDF with: CHROME_PATH when set, else the first one on PATH.
 * The kit never downloads a browser (Debian: apt-get install chromium).
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  const explicit = env.CHROME_PATH;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of CANDIDATES) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

export const INSTALL_CHROMIUM_HINT =
  "Install Debian's Chromium (sudo apt-get install chromium) or set CHROME_PATH to a Chrome/Chromium binary.";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
