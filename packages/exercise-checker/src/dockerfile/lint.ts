import {
  type Dockerfile,
  finalStage,
  type Instruction,
  parseImageReference,
  type Stage,
} from "@bct/dockerfile";

/** The course's own rules: what BuildKit's build checks do not cover. */
export type CourseRule =
  | "unpinned-base"
  | "add-instead-of-copy"
  | "runs-as-root"
  | "toolchain-in-final-image"
  | "copies-folder-without-dockerignore";

/** Advice, never a failure: BuildKit's build checks (rule names as BuildKit has them) and the course's own. */
export interface LintAdvice {
  rule: string;
  source: "buildkit" | "course";
  line: number | undefined;
  message: string;
  /** The rule's documentation (BuildKit's rules). */
  url?: string;
}

/** Images that carry a build toolchain: fine to compile in, too big to ship a program in. */
const TOOLCHAIN_IMAGES = new Set([
  "golang",
  "gcc",
  "rust",
  "node",
  "python",
  "maven",
  "gradle",
  "eclipse-temurin",
]);

/** The course's advice on a Dockerfile; `files` are the names in the build folder (for .dockerignore). */
export function lintDockerfile(dockerfile: Dockerfile, files?: string[]): LintAdvice[] {
  const advice: Array<Omit<LintAdvice, "source"> & { rule: CourseRule }> = [
    ...unpinnedBases(dockerfile),
    ...addInsteadOfCopy(dockerfile),
    ...runsAsRoot(dockerfile),
    ...toolchainInFinalImage(dockerfile),
    ...(files ? copiesFolderWithoutDockerignore(dockerfile, files) : []),
  ];
  return advice
    .map((item) => ({ ...item, source: "course" as const }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function toolchainInFinalImage(dockerfile: Dockerfile) {
  const final = finalStage(dockerfile);
  const base = externalBase(dockerfile, final);
  if (!base) return [];
  const name = parseImageReference(base.base).repository.split("/").at(-1)!;
  if (!TOOLCHAIN_IMAGES.has(name)) return [];
  return [
    {
      rule: "toolchain-in-final-image" as const,
      line: final.from.line,
      message: `The final stage starts FROM ${base.base}: the whole ${name} toolchain ships with your program, which needs none of it to run. Compile in a build stage (FROM ${base.base} AS builder) and start the final stage FROM scratch (a static Go binary needs nothing else) or a small base such as alpine.`,
    },
  ];
}

function copiesFolderWithoutDockerignore(dockerfile: Dockerfile, files: string[]) {
  if (files.includes(".dockerignore")) return [];
  const copy = dockerfile.instructions.find(
    (instruction) =>
      ["COPY", "ADD"].includes(instruction.keyword) &&
      !instruction.flags.some((flag) => flag.name === "from") &&
      instruction.rest
        .split(/\s+/)
        .slice(0, -1)
        .some((source) => source === "." || source === "./"),
  );
  if (!copy) return [];
  const shown = files.filter((name) => name !== "Dockerfile").sort();
  return [
    {
      rule: "copies-folder-without-dockerignore" as const,
      line: copy.line,
      message: `${copy.keyword} ${copy.args} at line ${copy.line} copies the whole folder (${shown.join(", ")}) into the build, with no .dockerignore to keep out what the program does not need. Copy only what the build needs (COPY go.mod main.go Makefile ./), or add a .dockerignore.`,
    },
  ];
}

/** The image a stage really starts from, following `FROM <earlier stage>` back; undefined for scratch. */
function externalBase(dockerfile: Dockerfile, stage: Stage): Stage | undefined {
  const parent = dockerfile.stages
    .slice(0, stage.index)
    .reverse()
    .find((candidate) => candidate.name === stage.base.toLowerCase());
  if (parent) return externalBase(dockerfile, parent);
  if (stage.base.toLowerCase() === "scratch" || stage.base.includes("$")) return undefined;
  return stage;
}

function unpinnedBases(dockerfile: Dockerfile) {
  const advice: Array<{ rule: "unpinned-base"; line: number; message: string }> = [];
  const stageNames = new Set<string>();
  for (const stage of dockerfile.stages) {
    const base = stage.base;
    const isStage = stageNames.has(base.toLowerCase());
    if (stage.name) stageNames.add(stage.name);
    if (isStage || base.toLowerCase() === "scratch" || base.includes("$") || base.includes("@")) continue;
    const { repository, tag } = parseImageReference(base);
    if (tag === undefined || tag === "latest") {
      advice.push({
        rule: "unpinned-base",
        line: stage.from.line,
        message: `FROM ${base}${tag === undefined ? " has no tag, which means :latest" : " uses :latest"}: it changes under you and the build is not repeatable. Pin a version, e.g. ${repository}:<version>.`,
      });
    }
  }
  return advice;
}

function addInsteadOfCopy(dockerfile: Dockerfile) {
  return dockerfile.instructions
    .filter((instruction) => instruction.keyword === "ADD")
    .map((instruction) => ({
      rule: "add-instead-of-copy" as const,
      line: instruction.line,
      message: `ADD at line ${instruction.line}: use COPY for files from the build context. ADD also unpacks archives and downloads URLs, which is surprising when you only meant to copy.`,
    }));
}

function runsAsRoot(dockerfile: Dockerfile) {
  const final = finalStage(dockerfile);
  const user = effectiveUser(dockerfile, final);
  if (user && !isRoot(user.value)) return [];
  return [
    {
      rule: "runs-as-root" as const,
      line: user?.line ?? final.from.line,
      message: user
        ? `USER ${user.value} at line ${user.line} runs the container as root. Use a non-root user; in scratch a numeric one such as USER 65532:65532 needs no /etc/passwd.`
        : "The final stage sets no USER, so the container runs as the base image's user: root for most images. Add a non-root user, e.g. USER 65532:65532.",
    },
  ];
}

/** The last USER of a stage, following `FROM <earlier stage>` back to where it was set. */
function effectiveUser(dockerfile: Dockerfile, stage: Stage): { value: string; line: number } | undefined {
  const own = lastOf(stage, "USER");
  if (own) return { value: own.rest, line: own.line };
  const parent = dockerfile.stages
    .slice(0, stage.index)
    .reverse()
    .find((candidate) => candidate.name === stage.base.toLowerCase());
  return parent ? effectiveUser(dockerfile, parent) : undefined;
}

function isRoot(user: string): boolean {
  const name = user.split(":")[0]!.trim();
  return name === "root" || name === "0";
}

function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
}
