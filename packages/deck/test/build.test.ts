import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKitError } from "@bct/engine";
import { afterEach, describe, expect, it } from "vitest";
import { buildDeck } from "../src/build.ts";
import { deckPaths, findRepoRoot } from "../src/paths.ts";
import { fakeExampleSource, fixtureRepo, fixtureTranscripts } from "./fake-examples.ts";

const realTheme = deckPaths(findRepoRoot()).themeFile;
const outDirs: string[] = [];

afterEach(() => {
  for (const dir of outDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixturePaths() {
  const out = mkdtempSync(join(tmpdir(), "bct-deck-build-"));
  outDirs.push(out);
  return { ...deckPaths(fixtureRepo, join(out, "dist")), themeFile: realTheme };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error("expected the build to fail");
  return error;
}

describe("buildDeck on a fixture repository (fake example source)", () => {
  it("writes the resolved markdown, the HTML and the assets", async () => {
    const paths = fixturePaths();
    const result = await buildDeck({
      paths,
      source: fakeExampleSource(fixtureTranscripts),
      formats: ["html"],
    });
    expect(result.slideCount).toBe(5);
    expect(result.examplesReferenced).toEqual(["ports", "greet"]);
    expect(result.pdfFile).toBeUndefined();
    const html = readFileSync(result.htmlFile!, "utf8");
    expect(html).toContain("Welcome to nginx!");
    expect(existsSync(join(paths.distDir, "assets", "box.svg"))).toBe(true);
    expect(readFileSync(result.markdownFile, "utf8")).toContain(
      '<span class="prompt">$ </span>curl -s localhost:1234',
    );
  });

  it("fails, naming them, when an example is never shown", async () => {
    const paths = fixturePaths();
    const source = fakeExampleSource({ ...fixtureTranscripts, lonely: [{ command: "true" }] });
    const error = await failure(buildDeck({ paths, source, formats: ["html"] }));
    expect(isKitError(error)).toBe(true);
    expect(error.message).toBe("The deck never shows these examples: lonely");
    expect(existsSync(paths.distDir)).toBe(false);
  });

  it("asks for Chromium before anything is written when the PDF has no browser", async () => {
    const paths = fixturePaths();
    const error = await failure(
      buildDeck({
        paths,
        source: fakeExampleSource(fixtureTranscripts),
        formats: ["html", "pdf"],
        env: { PATH: "/nonexistent" },
      }),
    );
    expect(error.message).toBe("The PDF needs Chrome or Chromium and none was found.");
    expect(isKitError(error) && error.hint).toContain("apt-get install chromium");
    expect(existsSync(paths.distDir)).toBe(false);
  });
});
