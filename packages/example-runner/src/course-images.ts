export { normalizeReference } from "@bct/dockerfile";

import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { normalizeReference } from "@bct/dockerfile";
import { buildxMissing } from "@bct/engine";
import { parse } from "yaml";
import { imagesOfDockerfile } from "./dockerfile-images.ts";
import { type LoadedExample, loadExamples, MANIFEST_FILE } from "./loader.ts";
import { type RequirementProbes, unmetRequirements } from "./requirements.ts";
import { imagesInShellScript } from "./shell-images.ts";
import { ownImages } from "./steps/index.ts";

/** An upstream image the course needs, and the repository files (relative paths) that use it. */
export interface CourseImage {
  ref: string;
  usedBy: string[];
}

/**
 * Every upstream image the course uses, derived from the files: run/pull steps and `docker run|pull` in
 * shell steps of the manifests and in the fixes printed for their `requires`, the `image:` of every service a
 * Compose example's compose file does not build, FROM and COPY --from of every Dockerfile* under examples/ and exercise/
 * (ARG defaults and the build arguments the manifests pass resolved), and the reference solution an
 * exercise.yaml names. Images the course builds or tags itself, and anything in the local registry, are left out.
 */
export async function courseImages(repoRoot: string): Promise<CourseImage[]> {
  const examples = await loadExamples(repoRoot);
  const uses = new Map<string, Set<string>>();
  const use = (ref: string, file: string) => {
    const normalized = normalizeReference(ref);
    const files = uses.get(normalized) ?? new Set<string>();
    files.add(relative(repoRoot, file).split(sep).join("/"));
    uses.set(normalized, files);
  };

  for (const example of examples) {
    const manifestFile = join(example.dir, MANIFEST_FILE);
    for (const step of example.manifest.steps) {
      if (step.kind === "run" || step.kind === "pull") use(step.image, manifestFile);
      if (step.kind === "shell")
        for (const image of imagesInShellScript(step.script)) use(image, manifestFile);
    }
    for (const fix of await requirementFixes(example))
      for (const image of imagesInShellScript(fix)) use(image, manifestFile);
    const compose = await composeFileOf(example);
    if (compose) for (const image of compose.images) use(image, compose.file);
  }

  const buildArgsByDockerfile = buildArgumentsByDockerfile(examples);
  for (const folder of ["examples", "exercise"]) {
    for (const file of await dockerfilesUnder(join(repoRoot, folder))) {
      const text = await readFile(file, "utf8");
      for (const args of buildArgsByDockerfile.get(file) ?? [{}])
        for (const image of imagesOfDockerfile(text, args)) use(image, file);
    }
  }

  for (const { file, text } of await exerciseSolutions(join(repoRoot, "exercise")))
    for (const image of imagesOfDockerfile(text)) use(image, file);

  const ownImages = new Set(examples.flatMap(imagesBuiltOrTagged).map(normalizeReference));
  return [...uses.entries()]
    .filter(([ref]) => !ownImages.has(ref) && !isLocalRegistry(ref))
    .map(([ref, files]) => ({ ref, usedBy: [...files].sort() }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}

/** The compose file names `docker compose` looks for, in its order. */
const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/** The images a Compose example's services run without building them (those it builds come from their Dockerfiles). */
async function composeFileOf(
  example: LoadedExample,
): Promise<{ file: string; images: string[] } | undefined> {
  if (!example.manifest.steps.some((step) => step.kind.startsWith("compose-"))) return undefined;
  for (const name of COMPOSE_FILES) {
    const file = join(example.dir, name);
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const services = (parse(text) as { services?: Record<string, { image?: unknown; build?: unknown }> })
      ?.services;
    const images = Object.values(services ?? {}).flatMap((service) =>
      typeof service?.image === "string" && service.build === undefined ? [service.image] : [],
    );
    return { file, images };
  }
  return undefined;
}

/** Probes of a host that lacks everything: what the runner would tell an attendee to run for each requirement. */
const NOTHING_INSTALLED: RequirementProbes = {
  buildx: async () => buildxMissing(),
  missingBinfmt: () => ["qemu-aarch64", "qemu-arm"],
  registryAnswers: async () => false,
};

/** The fixes printed for the example's `requires` (the course registry's fix runs registry:3). */
async function requirementFixes(example: LoadedExample): Promise<string[]> {
  const unmet = await unmetRequirements(example.manifest.requires ?? [], NOTHING_INSTALLED);
  return unmet.map((entry) => entry.fix);
}

function isLocalRegistry(ref: string): boolean {
  return /^(localhost|127\.0\.0\.1)(:[0-9]+)?\//.test(ref);
}

function imagesBuiltOrTagged(example: LoadedExample): string[] {
  return [...ownImages(example.manifest.steps)];
}

/** For each Dockerfile a manifest builds, the build arguments of each of its builds. */
function buildArgumentsByDockerfile(examples: LoadedExample[]): Map<string, Array<Record<string, string>>> {
  const byFile = new Map<string, Array<Record<string, string>>>();
  for (const example of examples) {
    for (const step of example.manifest.steps) {
      if (step.kind !== "build") continue;
      const file = join(example.dir, step.context, step.dockerfile ?? "Dockerfile");
      byFile.set(file, [...(byFile.get(file) ?? []), step.buildArgs ?? {}]);
    }
  }
  return byFile;
}

const SKIPPED_FOLDERS = new Set(["node_modules", "out", ".git"]);

async function dockerfilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name))
      files.push(...(await dockerfilesUnder(path)));
    else if (entry.isFile() && /^Dockerfile(\..+)?$/.test(entry.name)) files.push(path);
  }
  return files;
}

/** The reference Dockerfile each exercise/<name>/exercise.yaml names in `solution` (base64-encoded). */
async function exerciseSolutions(folder: string): Promise<Array<{ file: string; text: string }>> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const solutions: Array<{ file: string; text: string }> = [];
  for (const entry of entries.filter((item) => item.isDirectory())) {
    const manifestFile = join(folder, entry.name, "exercise.yaml");
    const manifest = await readFile(manifestFile, "utf8").then(
      (text) => parse(text) as { solution?: unknown },
      () => undefined,
    );
    if (typeof manifest?.solution !== "string") continue;
    const file = join(dirname(manifestFile), manifest.solution);
    const encoded = await readFile(file, "utf8");
    solutions.push({ file, text: Buffer.from(encoded, "base64").toString("utf8") });
  }
  return solutions;
}
