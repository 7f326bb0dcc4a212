import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KitError } from "@bct/engine";
import { findChromium, INSTALL_CHROMIUM_HINT } from "./browser.ts";
import { unreferencedExamples } from "./coverage.ts";
import type { ExampleSource } from "./example-source.ts";
import { renderWithMarp } from "./marp.ts";
import type { DeckPaths } from "./paths.ts";
import { preprocessSlides } from "./preprocess.ts";
import { remoteImageSources } from "./remote-images.ts";
import { countSlides } from "./slide-count.ts";
import { readSlideFiles } from "./slide-files.ts";

export interface BuildOptions {
  paths: DeckPaths;
  source: ExampleSource;
  formats: Array<"html" | "pdf">;
  env?: Record<string, string | undefined>;
  log?: (message: string) => void;
}

export interface BuildResult {
  markdownFile: string;
  htmlFile: string | undefined;
  pdfFile: string | undefined;
  slideCount: number;
  /** In the order the deck first shows them. */
  examplesReferenced: string[];
  filesIncluded: string[];
  /** Milliseconds per step. */
  timings: { resolve: number; html?: number; pdf?: number };
}

/**
 * Resolves the slides against the examples, checks every example is shown, then writes
 * dist/deck.md (resolved source), dist/index.html and dist/deck.pdf.
 */
export async function buildDeck(options: BuildOptions): Promise<BuildResult> {
  const { paths, source, formats } = options;
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const browserPath = formats.includes("pdf") ? findChromium(env) : undefined;
  if (formats.includes("pdf") && !browserPath) {
    throw new KitError("COMMAND_FAILED", "The PDF needs Chrome or Chromium and none was found.", {
      hint: `${INSTALL_CHROMIUM_HINT}\nOr build the HTML only: pnpm deck build --html-only`,
    });
  }

  const resolveStart = performance.now();
  const examples = await source.loadExamples(paths.repoRoot);
  const images = await source.courseImages?.(paths.repoRoot);
  const resolved = preprocessSlides(readSlideFiles(paths.slidesDir, paths.repoRoot), {
    repoRoot: paths.repoRoot,
    deckDir: paths.deckDir,
    examples,
    transcript: (example) => source.exampleTranscript(example),
    ...(source.recordedWith ? { recordedWith: (all: typeof examples) => source.recordedWith!(all) } : {}),
    ...(images ? { images } : {}),
  });
  const missing = unreferencedExamples(examples, resolved.examplesReferenced);
  if (missing.length > 0) {
    throw new KitError("INVALID_INPUT", `The deck never shows these examples: ${missing.join(", ")}`, {
      hint: "Add a <!-- transcript: NAME --> or <!-- include: examples/NAME/FILE --> to a slide in packages/deck/slides.",
    });
  }
  const timings: BuildResult["timings"] = { resolve: performance.now() - resolveStart };

  mkdirSync(paths.distDir, { recursive: true });
  rmSync(join(paths.distDir, "assets"), { recursive: true, force: true });
  cpSync(paths.assetsDir, join(paths.distDir, "assets"), { recursive: true });
  const markdownFile = join(paths.distDir, "deck.md");
  writeFileSync(markdownFile, resolved.markdown);

  let htmlFile: string | undefined;
  let pdfFile: string | undefined;
  if (formats.includes("html")) {
    htmlFile = join(paths.distDir, "index.html");
    log(`Writing ${htmlFile}`);
    const start = performance.now();
    await renderWithMarp({ markdownFile, output: htmlFile, themeFile: paths.themeFile, format: "html" });
    timings.html = performance.now() - start;
    const remote = remoteImageSources(readFileSync(htmlFile, "utf8"));
    if (remote.length > 0) {
      throw new KitError("INVALID_INPUT", `The built deck loads images from the web: ${remote.join(", ")}`, {
        hint: "Draw the image as an SVG in packages/deck/assets and reference it locally.",
      });
    }
  }
  if (formats.includes("pdf")) {
    pdfFile = join(paths.distDir, "deck.pdf");
    log(`Writing ${pdfFile} with ${browserPath}`);
    const start = performance.now();
    await renderWithMarp({
      markdownFile,
      output: pdfFile,
      themeFile: paths.themeFile,
      format: "pdf",
      browserPath: browserPath!,
    });
    timings.pdf = performance.now() - start;
  }

  return {
    markdownFile,
    htmlFile,
    pdfFile,
    slideCount: countSlides(resolved.markdown),
    examplesReferenced: [...resolved.examplesReferenced],
    filesIncluded: resolved.filesIncluded,
    timings,
  };
}
