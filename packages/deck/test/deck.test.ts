import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildDeck } from "../src/build.ts";
import { runnerExampleSource } from "../src/example-source.ts";
import { deckPaths, findRepoRoot } from "../src/paths.ts";
import { remoteImageSources } from "../src/remote-images.ts";
import { chromiumGate } from "./chromium-gate.ts";
import { countSlideSeparators, htmlText } from "./html-text.ts";
import { pdfPageCount } from "./pdf-pages.ts";
import { measureSlides } from "./readability.ts";

const repoRoot = findRepoRoot();
const source = runnerExampleSource();
const gate = chromiumGate();
const outDir = mkdtempSync(join(tmpdir(), "bct-deck-"));
const paths = deckPaths(repoRoot, outDir);
let result: BuildResult;
let html: string;
let markdown: string;

beforeAll(async () => {
  result = await buildDeck({ paths, source, formats: gate.path ? ["html", "pdf"] : ["html"] });
  html = readFileSync(result.htmlFile!, "utf8");
  markdown = readFileSync(result.markdownFile, "utf8");
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("pnpm deck build (the real slides, the real examples)", () => {
  it("resolves every directive: none is left in the markdown, every included file exists", () => {
    expect(markdown).not.toMatch(/<!--\s*(include|excerpt|transcript)\s*:/);
    expect(result.filesIncluded.length).toBeGreaterThan(10);
    for (const file of result.filesIncluded) expect(existsSync(join(repoRoot, file)), file).toBe(true);
  });

  it("shows every example of loadExamples, in their section order, multi-arch included", async () => {
    const names = (await source.loadExamples(repoRoot)).map((example) => example.name);
    expect(names.length).toBeGreaterThanOrEqual(16);
    expect(result.examplesReferenced).toEqual(names);
    expect(result.examplesReferenced).toContain("multi-arch");
  });

  it("loads no image from the web, and every local image it references exists", () => {
    expect(remoteImageSources(html)).toEqual([]);
    expect(html).not.toMatch(/twemoji|cdn\.jsdelivr|katex|mathjax/i);
    const sources = [...html.matchAll(/<img\b[^>]*?\ssrc="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThan(8);
    for (const src of new Set(sources)) expect(existsSync(join(outDir, src)), src).toBe(true);
    const diagrams = readdirSync(paths.assetsDir).filter((name) => name.endsWith(".svg"));
    for (const diagram of diagrams) expect(sources, diagram).toContain(`assets/${diagram}`);
  });

  it("contains every example's Dockerfiles verbatim", () => {
    const text = htmlText(html);
    let checked = 0;
    for (const example of readdirSync(join(repoRoot, "examples"))) {
      const dir = join(repoRoot, "examples", example);
      for (const file of readdirSync(dir).filter((name) => /^Dockerfile/.test(name))) {
        const content = readFileSync(join(dir, file), "utf8").replace(/\n+$/, "");
        expect(text.includes(content), `examples/${example}/${file} is not in the deck verbatim`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("shows the exercise task but never its solution", () => {
    const text = htmlText(html);
    expect(text).toContain("webserver-volume-access");
    const solutionFile = join(repoRoot, "exercise", "webserver-volume-access", "solution.b64");
    const solution = Buffer.from(readFileSync(solutionFile, "utf8"), "base64").toString("utf8");
    const distinctive = solution.split("\n").filter((line) => /^(COPY|ENTRYPOINT|USER)\b/.test(line));
    expect(distinctive.length).toBeGreaterThan(0);
    for (const line of distinctive) expect(text, line).not.toContain(line);
  });

  it("turns every speaker-note comment into a presenter note (none is mistaken for a directive)", () => {
    const comments = [...markdown.matchAll(/<!--([\s\S]*?)-->/g)].map((match) => match[1]!.trim());
    const notes = comments.filter((comment) => !/^_?(class|paginate|header|footer)\s*:/.test(comment));
    expect(notes.length).toBeGreaterThan(20);
    expect(html.match(/class="bespoke-marp-note"/g)?.length).toBe(notes.length);
  });

  it("has as many slides as the markdown has separators", () => {
    expect(result.slideCount).toBe(countSlideSeparators(markdown));
    expect(html.match(/<section\b/g)?.length).toBe(result.slideCount);
    expect(result.slideCount).toBeGreaterThan(60);
  });
});

describe.skipIf(!gate.path)("the deck in headless Chromium", () => {
  it("writes a PDF with one page per slide", () => {
    expect(pdfPageCount(result.pdfFile!)).toBe(result.slideCount);
  });

  it("loads, every image decodes, all text is readable (>= 20px, contrast), alt text is right; screenshots and a contact sheet", async () => {
    const profile = mkdtempSync(join(tmpdir(), "bct-deck-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: gate.path,
      headless: true,
      viewport: { width: 1280, height: 720 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const webRequests: string[] = [];
      page.on("request", (request) => {
        if (/^https?:/.test(request.url())) webRequests.push(request.url());
      });
      await page.goto(`file://${result.htmlFile}`);
      await page.waitForLoadState("load");
      expect(await page.locator("svg[data-marpit-svg] > foreignObject > section").count()).toBe(
        result.slideCount,
      );

      const images = await page.evaluate(async () => {
        const all = Array.from(document.querySelectorAll("img"));
        await Promise.all(all.map((image) => image.decode().catch(() => undefined)));
        return all.map((image) => ({ src: image.getAttribute("src"), width: image.naturalWidth }));
      });
      expect(images.length).toBeGreaterThan(8);
      expect(images.filter((image) => image.width === 0)).toEqual([]);
      expect(webRequests).toEqual([]);

      const artifacts = paths.artifactsDir;
      mkdirSync(artifacts, { recursive: true });
      const readability = await page.evaluate(measureSlides);
      expect({ tooSmall: readability.tooSmall, lowContrast: readability.lowContrast }).toEqual({
        tooSmall: [],
        lowContrast: [],
      });
      expect(readability.checkedTextNodes).toBeGreaterThan(1000);

      // Nothing runs into the footer (its logo starts 48px above the bottom edge of a 720px slide),
      // and no code block is wider than the slide.
      const crowded = await page.evaluate(() =>
        Array.from(document.querySelectorAll("svg[data-marpit-svg] > foreignObject > section")).flatMap(
          (section, index) => {
            const box = section.getBoundingClientRect();
            const scale = 720 / box.height;
            const problems: string[] = [];
            for (const child of Array.from(section.children)) {
              if (child.tagName === "HEADER" || child.tagName === "FOOTER") continue;
              const bottom = (child.getBoundingClientRect().bottom - box.top) * scale;
              if (bottom > 674)
                problems.push(`slide ${index + 1}: ${child.tagName} ends at ${Math.round(bottom)}px`);
            }
            for (const pre of Array.from(section.querySelectorAll("pre"))) {
              if (pre.scrollWidth > pre.clientWidth + 1)
                problems.push(`slide ${index + 1}: a code block is too wide`);
            }
            return problems;
          },
        ),
      );
      expect.soft(crowded).toEqual([]);

      // Alt text: the decorative logo has none, every diagram says what it shows.
      const logos = readability.images.filter((image) => image.src.endsWith("logo.svg"));
      expect(logos.length).toBe(result.slideCount);
      expect(logos.filter((image) => image.alt !== "")).toEqual([]);
      const diagrams = readability.images.filter((image) => !image.src.endsWith("logo.svg"));
      expect(diagrams.length).toBeGreaterThanOrEqual(8);
      expect(diagrams.filter((image) => image.alt.length < 60)).toEqual([]);
      // Diagram labels: the SVG's smallest font size at the size the slide draws the figure.
      for (const diagram of diagrams) {
        const svg = readFileSync(join(paths.deckDir, diagram.src), "utf8");
        const viewBoxWidth = Number(/viewBox="[\d.]+ [\d.]+ ([\d.]+)/.exec(svg)![1]);
        const smallest = Math.min(...[...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1])));
        expect(
          smallest * (diagram.width / viewBoxWidth),
          `${diagram.src} on slide ${diagram.slide}`,
        ).toBeGreaterThanOrEqual(20);
      }

      // The measurement itself can fail: a small and a faint text on a page of the same structure.
      const probe = await context.newPage();
      await probe.setContent(
        `<svg data-marpit-svg><foreignObject><section style="background:#fff;color:#000;font-size:26px"><p style="font-size:14px">small</p><p style="color:#e76f51;font-size:20px">faint</p><p style="color:#e76f51;font-size:30px">large</p></section></foreignObject></svg>`,
      );
      const measured = await probe.evaluate(measureSlides);
      await probe.close();
      expect(measured.tooSmall).toEqual(['slide 1 <p> "small": 14px']);
      expect(measured.lowContrast).toEqual(['slide 1 <p> "faint": 3.09:1 at 20px']);

      const hideControls = () =>
        page.addStyleTag({ content: ".bespoke-marp-osc { display: none !important; }" });
      // One load, then slide by slide through the deck's own hash navigation.
      await page.goto(`file://${result.htmlFile}#1`);
      await hideControls();
      const show = async (slide: number) => {
        await page.evaluate((n) => {
          location.hash = `#${n}`;
        }, slide);
        await page.waitForFunction(
          (n) =>
            Array.from(document.querySelectorAll("svg[data-marpit-svg]")).indexOf(
              document.querySelector("svg.bespoke-marp-active")!,
            ) ===
            n - 1,
          slide,
        );
      };
      const densest = [...readability.characters.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
      for (const old of readdirSync(artifacts).filter((file) => file.startsWith("dense-slide-")))
        rmSync(join(artifacts, old));
      for (const [index, name] of [
        [0, "title-slide.png"],
        ...densest.map(([at]) => [at, `dense-slide-${at + 1}.png`] as const),
      ] as const) {
        await show(index + 1);
        await page.screenshot({ path: join(artifacts, name) });
      }
      // The contact sheet's tiles: the deck scales each slide to a small viewport, cheap to capture.
      await page.setViewportSize({ width: 320, height: 180 });
      const shots: string[] = [];
      for (let slide = 1; slide <= result.slideCount; slide++) {
        await show(slide);
        shots.push((await page.screenshot({ type: "png" })).toString("base64"));
      }

      const sheet = await context.newPage();
      await sheet.setViewportSize({ width: 1920, height: 1080 });
      await sheet.setContent(
        `<body style="margin:0;background:#888;display:grid;grid-template-columns:repeat(6,316px);gap:4px;padding:4px">${shots
          .map(
            (shot, index) =>
              `<figure style="margin:0;position:relative"><img style="width:316px;display:block" src="data:image/png;base64,${shot}" alt=""><figcaption style="position:absolute;top:2px;left:4px;font:bold 20px sans-serif;background:#fff">${index + 1}</figcaption></figure>`,
          )
          .join("")}</body>`,
      );
      await sheet.screenshot({ path: join(artifacts, "contact-sheet.png"), fullPage: true });
      await sheet.close();

      for (const name of [
        "title-slide.png",
        "contact-sheet.png",
        ...densest.map(([index]) => `dense-slide-${index + 1}.png`),
      ]) {
        expect(readFileSync(join(artifacts, name)).subarray(1, 4).toString()).toBe("PNG");
      }
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
