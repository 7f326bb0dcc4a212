import { isCi } from "@bct/errors";
import { it } from "vitest";
import { findChromium } from "../src/browser.ts";

/**
 * The browser and PDF tests need Chromium. Outside CI they skip with one line saying why;
 * with CI set a missing browser is a failure, never a skip.
 */
export function chromiumGate(env: Record<string, string | undefined> = process.env): {
  path: string | undefined;
  skipReason: string | undefined;
} {
  const path = findChromium(env);
  if (path) return { path, skipReason: undefined };
  const reason = "Chromium not found (apt-get install chromium, or set CHROME_PATH)";
  if (isCi(env)) {
    it("finds Chromium for the browser and PDF tests (CI set)", () => {
      throw new Error(reason);
    });
  } else {
    console.warn(`[deck] skipping browser and PDF tests: ${reason}`);
  }
  return { path: undefined, skipReason: reason };
}
