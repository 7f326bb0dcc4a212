import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { KitError } from "@bct/engine";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { type Manifest, manifestSchema, SECTIONS } from "./schema.ts";

export interface LoadedExample {
  /** The folder name, e.g. "ports": what `pnpm example <name>` takes. */
  name: string;
  /** Absolute path of the example's folder. */
  dir: string;
  manifest: Manifest;
}

export const MANIFEST_FILE = "example.yaml";

/** Every examples/<name>/example.yaml, validated, sorted by deck section then order; any malformed one is an error. */
export async function loadExamples(repoRoot: string): Promise<LoadedExample[]> {
  const examplesDir = join(repoRoot, "examples");
  const entries = await readdir(examplesDir, { withFileTypes: true }).catch(() => []);
  const examples: LoadedExample[] = [];
  const problems: string[] = [];
  for (const entry of entries
    .filter((item) => item.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(examplesDir, entry.name);
    const file = join(dir, MANIFEST_FILE);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    const parsed = parseManifest(text, relative(repoRoot, file));
    if (parsed.ok) examples.push({ name: entry.name, dir, manifest: parsed.manifest });
    else problems.push(...parsed.problems);
  }
  if (problems.length > 0) throw malformed(problems);
  return examples.sort(
    (a, b) =>
      SECTIONS.indexOf(a.manifest.section) - SECTIONS.indexOf(b.manifest.section) ||
      a.manifest.order - b.manifest.order ||
      a.name.localeCompare(b.name),
  );
}

/** One example by its folder name, or undefined when there is none; a malformed manifest is an error. */
export async function loadExample(repoRoot: string, name: string): Promise<LoadedExample | undefined> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return undefined;
  const dir = join(repoRoot, "examples", name);
  const file = join(dir, MANIFEST_FILE);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = parseManifest(text, relative(repoRoot, file));
  if (!parsed.ok) throw malformed(parsed.problems);
  return { name, dir, manifest: parsed.manifest };
}

function malformed(problems: string[]): KitError {
  return new KitError("INVALID_INPUT", `Malformed example manifest:\n${problems.join("\n")}`, {
    hint: "Fix the fields named above; the schema is packages/example-runner/src/schema.ts.",
  });
}

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; problems: string[] };

/**
 * Parses and validates one manifest. Problems are `file:line: path: message` lines, `path` in dotted form
 * (`steps.2.expect.stdout`), so a reader finds the field at once.
 */
export function parseManifest(text: string, fileLabel: string): ParsedManifest {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const line = error.linePos?.[0]?.line;
        return `${fileLabel}${line ? `:${line}` : ""}: (yaml): ${error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`;
      }),
    };
  }
  const result = manifestSchema.safeParse(document.toJS());
  if (result.success) return { ok: true, manifest: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const line = lineOf(document, lineCounter, issue.path);
      return `${fileLabel}${line ? `:${line}` : ""}: ${formatIssue(issue)}`;
    }),
  };
}

export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
  return `${path}: ${issue.message}`;
}

/** The line where the deepest existing part of `path` is written: the key for a mapping entry. */
function lineOf(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: PropertyKey[],
): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const parent =
      length === 0 ? document.contents : document.getIn(path.slice(0, length - 1) as unknown[], true);
    if (length > 0 && isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[length - 1]);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
      continue;
    }
    const node = length === 0 ? parent : document.getIn(path.slice(0, length) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}
