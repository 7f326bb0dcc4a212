// Deck build times: resolving the directives, the HTML (no browser) and the PDF (Chromium), side by side.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findChromium } from "../src/browser.ts";
import { buildDeck } from "../src/build.ts";
import { runnerExampleSource } from "../src/example-source.ts";
import { deckPaths } from "../src/paths.ts";

const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function bench(): Promise<void> {
  const source = runnerExampleSource();
  const withPdf = findChromium() !== undefined;
  const resolve: number[] = [];
  const html: number[] = [];
  const pdf: number[] = [];
  let slides = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const out = mkdtempSync(join(tmpdir(), "bct-deck-bench-"));
    try {
      const result = await buildDeck({
        paths: deckPaths(undefined, out),
        source,
        formats: withPdf ? ["html", "pdf"] : ["html"],
      });
      slides = result.slideCount;
      resolve.push(result.timings.resolve);
      html.push(result.timings.html ?? 0);
      if (result.timings.pdf !== undefined) pdf.push(result.timings.pdf);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  console.log(`deck: ${slides} slides, median of ${ROUNDS} builds`);
  console.log(`  resolve includes + transcripts ${ms(median(resolve))}`);
  console.log(`  HTML (marp-cli, no browser)    ${ms(median(html))}`);
  if (pdf.length > 0) {
    console.log(
      `  PDF  (marp-cli + Chromium)     ${ms(median(pdf))}   PDF/HTML ${(median(pdf) / median(html)).toFixed(1)}x`,
    );
    console.log(
      `  per slide: HTML ${(median(html) / slides).toFixed(1)} ms, PDF ${(median(pdf) / slides).toFixed(1)} ms`,
    );
  } else {
    console.log("  PDF  skipped: Chromium not found (apt-get install chromium, or set CHROME_PATH)");
  }
}
