import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { closestMatch } from "@bct/cli";
import { KitError } from "@bct/engine";
import { parseDirective } from "./directives.ts";
import type { DeckExample, DeckTranscriptEntry } from "./example-source.ts";
import { fenced } from "./fence.ts";
import { languageFor } from "./languages.ts";
import { markdownSection } from "./markdown-section.ts";
import { renderTranscript } from "./transcript-block.ts";

export interface SlideSource {
  /** Path shown in errors, relative to the repository root. */
  file: string;
  text: string;
}

export interface PreprocessContext {
  repoRoot: string;
  /** Where slide image paths are resolved (packages/deck). */
  deckDir: string;
  examples: DeckExample[];
  transcript(example: DeckExample): DeckTranscriptEntry[];
  /** One sentence on how the shown outputs were recorded (engine, images). */
  recordedWith?(examples: DeckExample[]): string;
  /** The course's images by repository (`alpine` -> `alpine:3.24`), for `{{image:alpine}}` in slide text. */
  images?: Map<string, string>;
}

export interface PreprocessResult {
  markdown: string;
  /** Example names shown through a transcript or an included file. */
  examplesReferenced: Set<string>;
  /** Included files, relative to the repository root. */
  filesIncluded: string[];
}

export interface SourceProblem {
  file: string;
  line: number;
  message: string;
}

/** Roots a slide may include from: what runs is the single source. */
const INCLUDE_ROOTS = ["examples", "exercise", "packages/deck/snippets"];

/**
 * Resolves the deck's build-time directives and checks its images. Every problem is collected and
 * reported at once as `file:line: message`; nothing is written when one exists.
 */
export function preprocessSlides(sources: SlideSource[], context: PreprocessContext): PreprocessResult {
  const problems: SourceProblem[] = [];
  const examplesReferenced = new Set<string>();
  const filesIncluded: string[] = [];
  const byName = new Map(context.examples.map((example) => [example.name, example]));
  const parts: string[] = [];

  for (const source of sources) {
    const out: string[] = [];
    let fence: string | undefined;
    for (const [index, rawLine] of source.text.split("\n").entries()) {
      const report = (message: string) => problems.push({ file: source.file, line: index + 1, message });
      const line = withImageRefs(rawLine, context.images, report);
      const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fenceMatch) {
        const marker = fenceMatch[1]!;
        if (fence === undefined) fence = marker;
        else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        out.push(line);
        continue;
      }
      if (fence !== undefined) {
        out.push(line);
        continue;
      }
      checkImages(line, context.deckDir, report);
      const parsed = parseDirective(line);
      if (parsed === undefined) {
        out.push(line);
        continue;
      }
      if ("error" in parsed) {
        report(parsed.error);
        continue;
      }
      const { directive } = parsed;
      if (directive.kind === "recorded-with") {
        if (context.recordedWith) out.push(context.recordedWith(context.examples));
        else report("recorded-with: this build has no recordings to describe");
        continue;
      }
      if (directive.kind === "transcript") {
        const example = byName.get(directive.example);
        if (!example) {
          report(unknownExample(directive.example, [...byName.keys()]));
          continue;
        }
        const entries = context.transcript(example);
        const to = directive.to ?? entries.length;
        const from = directive.from ?? 1;
        if (entries.length === 0) {
          report(`example "${example.name}" has no steps to show`);
          continue;
        }
        if (from > entries.length || to > entries.length) {
          report(`example "${example.name}" has ${entries.length} steps; range ${from}-${to} is outside it`);
          continue;
        }
        examplesReferenced.add(example.name);
        out.push(renderTranscript(entries.slice(from - 1, to), { notes: directive.notes }));
        continue;
      }
      const file = resolveIncludable(directive.path, context.repoRoot);
      if ("error" in file) {
        report(file.error);
        continue;
      }
      const exampleName = exampleOf(file.relative);
      if (exampleName && byName.has(exampleName)) examplesReferenced.add(exampleName);
      filesIncluded.push(file.relative);
      const text = readFileSync(file.absolute, "utf8");
      if (directive.kind === "include") {
        out.push(fenced(text, languageFor(file.relative)));
        continue;
      }
      const section = markdownSection(text, directive.heading);
      if (section.body === undefined) {
        report(
          `no heading "${directive.heading}" in ${file.relative} (headings: ${section.headings.join(", ")})`,
        );
        continue;
      }
      out.push(demoteHeadings(section.body));
    }
    if (fence !== undefined) {
      problems.push({
        file: source.file,
        line: source.text.split("\n").length,
        message: "unclosed code fence",
      });
    }
    parts.push(out.join("\n").trim());
  }

  if (problems.length > 0) throw sourceProblems(problems);
  return { markdown: `${parts.join("\n\n---\n\n")}\n`, examplesReferenced, filesIncluded };
}

export function sourceProblems(problems: SourceProblem[]): KitError {
  const lines = problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`);
  return new KitError("INVALID_INPUT", `The deck does not build:\n${lines.join("\n")}`, {
    hint: "Fix the slide sources named above (packages/deck/slides), then build again.",
  });
}

const IMAGE_PLACEHOLDER = /\{\{image:([a-z0-9._/-]+)\}\}/g;

/**
 * `{{image:nginx}}` becomes the reference the course pins for that repository (the one its examples use
 * most), so prose follows the examples when a tag moves.
 */
function withImageRefs(
  line: string,
  images: Map<string, string> | undefined,
  report: (message: string) => void,
): string {
  return line.replace(IMAGE_PLACEHOLDER, (placeholder, repository: string) => {
    const ref = images?.get(repository);
    if (ref) return ref;
    const known = [...(images?.keys() ?? [])];
    const suggestion = closestMatch(repository, known);
    report(
      `${placeholder}: the course uses no image ${repository}${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
    );
    return placeholder;
  });
}

function unknownExample(name: string, known: string[]): string {
  const suggestion = closestMatch(name, known);
  return `unknown example "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`;
}

function resolveIncludable(
  path: string,
  repoRoot: string,
): { absolute: string; relative: string } | { error: string } {
  if (isAbsolute(path)) return { error: `include paths are relative to the repository root, got ${path}` };
  const absolute = resolve(repoRoot, path);
  const relativePath = relative(repoRoot, absolute).split(sep).join("/");
  if (relativePath.startsWith("..") || !INCLUDE_ROOTS.some((root) => relativePath.startsWith(`${root}/`))) {
    return {
      error: `only files under ${INCLUDE_ROOTS.map((root) => `${root}/`).join(" or ")} can be included, got ${path}`,
    };
  }
  if (/solution/i.test(relativePath)) return { error: `the deck never shows a solution file: ${path}` };
  if (!existsSync(absolute)) return { error: `include not found: ${path}` };
  if (!statSync(absolute).isFile()) return { error: `include is not a file: ${path}` };
  return { absolute, relative: relativePath };
}

function exampleOf(relativePath: string): string | undefined {
  const [root, name] = relativePath.split("/");
  return root === "examples" ? name : undefined;
}

/** An excerpt sits inside a slide: its headings must not outrank the slide's own. */
function demoteHeadings(markdown: string): string {
  return markdown.replace(
    /^(#{1,3})(\s)/gm,
    (_, hashes: string, space: string) => `${"#".repeat(Math.min(6, hashes.length + 3))}${space}`,
  );
}

const markdownImage = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)/g;

function checkImages(line: string, deckDir: string, report: (message: string) => void): void {
  for (const match of line.matchAll(markdownImage)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      report(`images must be local files under packages/deck/assets, got ${target}`);
    } else if (!existsSync(join(deckDir, target))) {
      report(`image not found: ${target} (paths are relative to packages/deck)`);
    }
  }
}
