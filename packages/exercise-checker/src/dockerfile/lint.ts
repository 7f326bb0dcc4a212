import {
  type Dockerfile,
  finalStage,
  type Instruction,
  parseImageReference,
  type Stage,
} from "@bct/dockerfile";

export type LintRule = "unpinned-base" | "add-instead-of-copy" | "shell-form-entrypoint" | "runs-as-root";

/** Advice, never a failure: what the course teaches about good Dockerfiles. */
export interface LintAdvice {
  rule: LintRule;
  line: number | undefined;
  message: string;
}

export function lintDockerfile(dockerfile: Dockerfile): LintAdvice[] {
  return [
    ...unpinnedBases(dockerfile),
    ...addInsteadOfCopy(dockerfile),
    ...shellFormEntrypoint(dockerfile),
    ...runsAsRoot(dockerfile),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function unpinnedBases(dockerfile: Dockerfile): LintAdvice[] {
  const advice: LintAdvice[] = [];
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

function addInsteadOfCopy(dockerfile: Dockerfile): LintAdvice[] {
  return dockerfile.instructions
    .filter((instruction) => instruction.keyword === "ADD")
    .map((instruction) => ({
      rule: "add-instead-of-copy" as const,
      line: instruction.line,
      message: `ADD at line ${instruction.line}: use COPY for files from the build context. ADD also unpacks archives and downloads URLs, which is surprising when you only meant to copy.`,
    }));
}

function shellFormEntrypoint(dockerfile: Dockerfile): LintAdvice[] {
  const entrypoint = lastOf(finalStage(dockerfile), "ENTRYPOINT");
  if (entrypoint?.form !== "shell") return [];
  const looksLikeJson = entrypoint.rest.startsWith("[");
  return [
    {
      rule: "shell-form-entrypoint",
      line: entrypoint.line,
      message: looksLikeJson
        ? `ENTRYPOINT at line ${entrypoint.line} looks like exec form but is not a valid JSON array (use double quotes), so it runs through /bin/sh -c, which a scratch image does not have.`
        : `ENTRYPOINT at line ${entrypoint.line} is in shell form: it runs through /bin/sh -c (absent in scratch), and your program does not get signals like SIGTERM. Use exec form: ENTRYPOINT ["/program", "-i", "/app/input"].`,
    },
  ];
}

function runsAsRoot(dockerfile: Dockerfile): LintAdvice[] {
  const final = finalStage(dockerfile);
  const user = effectiveUser(dockerfile, final);
  if (user && !isRoot(user.value)) return [];
  return [
    {
      rule: "runs-as-root",
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
