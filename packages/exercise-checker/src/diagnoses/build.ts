import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dockerfile, Instruction, Stage } from "@bct/dockerfile";
import type { BuildError } from "@bct/engine";

/** What the diagnosis of a failed build may read: the error, the parsed Dockerfile and the folder sent. */
export interface BuildFailure {
  error: BuildError;
  dockerfile: Dockerfile | undefined;
  dir: string;
}

type Diagnosis = (failure: BuildFailure) => string | undefined;

/**
 * The hint from the tool that failed: make, the Go compiler, the shell of a RUN, a COPY. Undefined when
 * none of them recognises its own message (then the criterion's diagnoses and hint apply).
 */
export function diagnoseBuild(failure: BuildFailure): string | undefined {
  for (const diagnosis of [
    missingCopySource,
    makeMissingPrerequisite,
    makeWithoutMakefile,
    goCompiler,
    commandNotFound,
  ]) {
    const hint = diagnosis(failure);
    if (hint) return hint;
  }
  return undefined;
}

const missingCopySource: Diagnosis = ({ error, dockerfile, dir }) => {
  const instruction = failingInstruction(error, dockerfile);
  if (!instruction || !["COPY", "ADD"].includes(instruction.keyword)) return undefined;
  const missing = /"\/([^"]*)": not found/.exec(error.builderMessage)?.[1];
  if (missing === undefined) return undefined;
  const from = instruction.flags.find((flag) => flag.name === "from")?.value;
  const where = `${instruction.keyword} at line ${instruction.line}`;
  if (from) {
    return `${where} copies /${missing} from the stage ${from}, and that stage has no such file. Look where its build put the file (its WORKDIR and the name make or go build gave it), e.g. COPY --from=${from} /src/<binary> /<binary>.`;
  }
  if (existsSync(join(dir, missing))) {
    return `${where} names ${missing}, which is in this folder, but .dockerignore leaves it out of the build context. Remove it from .dockerignore.`;
  }
  return `${where} names ${missing}, which is not in this folder (${dir}). COPY takes paths relative to it; the files here: ${filesOf(dir).join(", ")}.`;
};

const makeMissingPrerequisite: Diagnosis = (failure) => {
  const match = lastMatch(
    failure.error.stepOutput,
    /No rule to make target '([^']+)'(?:, needed by '([^']+)')?/,
  );
  if (!match) return undefined;
  const [, file, neededBy] = match;
  if (!neededBy) {
    const targets = makefileTargets(failure.dir);
    return `make stopped: the Makefile has no target ${file}.${targets.length ? ` Its targets: ${targets.join(", ")}; plain \`make\` builds the first.` : ""}`;
  }
  const notHere = existsSync(join(failure.dir, file!))
    ? ""
    : ` (and there is no ${file} in this folder either)`;
  return `make stopped, not the compiler: the Makefile needs ${file} to build ${neededBy}, and ${file} is not in the build stage${notHere}. ${copyAdvice(failure, file!)}`;
};

const makeWithoutMakefile: Diagnosis = (failure) => {
  if (!lastMatch(failure.error.stepOutput, /No targets specified and no makefile found/)) return undefined;
  const stage = failingStage(failure);
  const workdir = stage?.instructions.filter((instruction) => instruction.keyword === "WORKDIR").at(-1)?.rest;
  return `make found no Makefile${workdir ? ` in ${workdir} (the WORKDIR)` : " in the working directory"}: it was not copied into the build stage. ${copyAdvice(failure, "Makefile")}`;
};

const goCompiler: Diagnosis = ({ error }) => {
  const errors = error.stepOutput
    .map((line) => /^\s*(?:\.\/)?([\w./-]+\.go):(\d+):(\d+): (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  if (errors.length === 0) {
    const noModule = lastMatch(
      error.stepOutput,
      /go: go\.mod file not found|no Go files in|cannot find main module/,
    );
    if (!noModule) return undefined;
    return "go build found no Go module here: go.mod and the .go files must be copied into the build stage before `make` (COPY go.mod main.go Makefile ./).";
  }
  const [, file, line, column, what] = errors[0]!;
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""} above)` : "";
  return `The Go compiler stopped at ${file} line ${line}, column ${column}: ${what}${more}. Fix that line of ${file}; if you did not change the Go code, copy the exercise's ${file} again.`;
};

const commandNotFound: Diagnosis = (failure) => {
  const match = lastMatch(
    failure.error.stepOutput,
    /^(?:\/bin\/sh: (?:\d+: )?|sh: (?:\d+: )?|bash: (?:line \d+: )?)?(\S+): (?:command )?not found$/,
  );
  if (!match) return undefined;
  const command = match[1]!;
  const stage = failingStage(failure);
  const base = stage ? ` in ${stage.base}` : "";
  const instruction = failingInstruction(failure.error, failure.dockerfile);
  const where = instruction ? `RUN at line ${instruction.line}` : "A RUN";
  const go = /^go/.test(command) && command !== "go" ? " Go's one command is go (go build, go version)." : "";
  const has = stage && /^golang:/.test(stage.base) ? ` (${stage.base} has go and make)` : "";
  return `${where}: the shell found no command ${command}${base}. Check its spelling; a RUN can only use programs its stage's image has${has}.${go}`;
};

/** "Your COPY at line 3 (COPY go.mod Makefile ./) does not bring main.go: …" */
function copyAdvice(failure: BuildFailure, file: string): string {
  const stage = failingStage(failure);
  const run = failingInstruction(failure.error, failure.dockerfile);
  const copies = (stage?.instructions ?? []).filter(
    (instruction) =>
      ["COPY", "ADD"].includes(instruction.keyword) &&
      !instruction.flags.some((flag) => flag.name === "from") &&
      (!run || instruction.line < run.line),
  );
  const last = copies.at(-1);
  if (!last)
    return `No COPY before it brings files from this folder: add COPY go.mod main.go Makefile ./ before ${run?.args ? `RUN ${run.args}` : "RUN make"}.`;
  const parts = last.rest.split(/\s+/);
  const fixed = [...parts.slice(0, -1), file, parts.at(-1)!].join(" ");
  return `Your COPY at line ${last.line} (${last.keyword} ${last.args}) does not bring ${file}: add it there, ${last.keyword} ${fixed}.`;
}

function failingInstruction(error: BuildError, dockerfile: Dockerfile | undefined): Instruction | undefined {
  const line = error.instruction?.line;
  if (!dockerfile || !line) return undefined;
  return dockerfile.instructions.find(
    (instruction) => instruction.line <= line && line <= instruction.endLine,
  );
}

function failingStage({ error, dockerfile }: BuildFailure): Stage | undefined {
  const line = error.instruction?.line;
  if (!dockerfile || !line) return undefined;
  return dockerfile.stages.filter((stage) => stage.from.line <= line).at(-1);
}

function lastMatch(lines: string[], pattern: RegExp): RegExpExecArray | undefined {
  for (const line of [...lines].reverse()) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  return undefined;
}

function filesOf(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith("."))
      .sort();
  } catch {
    return [];
  }
}

function makefileTargets(dir: string): string[] {
  try {
    const text = readFileSync(join(dir, "Makefile"), "utf8");
    return [...text.matchAll(/^([A-Za-z0-9_.$()/-]+):(?!=)/gm)]
      .map((match) => match[1]!)
      .filter((target) => !target.startsWith("."));
  } catch {
    return [];
  }
}
