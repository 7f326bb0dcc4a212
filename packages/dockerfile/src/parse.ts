import { closestMatch } from "@bct/errors";

/** The instructions the Dockerfile reference defines. */
export const KNOWN_INSTRUCTIONS = [
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "MAINTAINER",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
] as const;

const COMMAND_INSTRUCTIONS = new Set(["RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK"]);
/** The instructions BuildKit lets take here-documents (`RUN <<EOF`, `COPY <<EOF /path`). */
const HEREDOC_INSTRUCTIONS = new Set(["RUN", "COPY", "ADD"]);
/** The parser directives BuildKit reads from the first lines: `# syntax=`, `# escape=`, `# check=`. */
const DIRECTIVES = new Set(["syntax", "escape", "check"]);
const NEEDS_TWO_ARGUMENTS = new Set(["COPY", "ADD"]);

/** A here-document: `<<EOF` (or `<<-EOF`, `<<"EOF"`) and the lines up to its terminator. */
export interface Heredoc {
  name: string;
  /** The lines between the marker and the terminator, joined with newlines. */
  content: string;
  /** `<<-`: leading tabs are stripped from each line. */
  stripTabs: boolean;
  /** A quoted marker: the content is taken literally, without variable expansion. */
  quoted: boolean;
}

export interface InstructionFlag {
  name: string;
  value: string | undefined;
}

export interface Instruction {
  /** Upper case, e.g. "COPY". */
  keyword: string;
  /** Everything after the keyword, continuation lines joined, flags included. */
  args: string;
  /** Leading `--name=value` flags (`COPY --from=builder`, `FROM --platform=...`). */
  flags: InstructionFlag[];
  /** `args` without the leading flags. */
  rest: string;
  /** For RUN, CMD, ENTRYPOINT, SHELL: exec form is a JSON array of strings, anything else is shell form. */
  form: "exec" | "shell" | undefined;
  /** The argv of an exec-form instruction. */
  exec: string[] | undefined;
  /** The here-documents of a RUN, COPY or ADD, in order; their lines are part of the instruction. */
  heredocs: Heredoc[];
  /** 1-based lines in the file. */
  line: number;
  endLine: number;
}

export interface Stage {
  index: number;
  /** The name after `AS`, lower case, when given. */
  name: string | undefined;
  /** The image or earlier stage this stage starts from. */
  base: string;
  from: Instruction;
  /** The instructions after FROM, up to the next FROM. */
  instructions: Instruction[];
}

export interface Dockerfile {
  escapeChar: string;
  /** The parser directives at the top, by lower-case name: `syntax`, `escape`, `check`. */
  directives: Record<string, string>;
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  instructions: Instruction[];
}

export interface SyntaxProblem {
  line: number;
  message: string;
}

export type ParseResult = { ok: true; dockerfile: Dockerfile } | { ok: false; problems: SyntaxProblem[] };

/** Parses a Dockerfile the way the builder reads it: directives, comments, continuations, stages. */
export function parseDockerfile(text: string): ParseResult {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const directives = readDirectives(lines);
  const escapeChar = directives.escape === "`" ? "`" : "\\";
  const problems: SyntaxProblem[] = [];
  const instructions: Instruction[] = [];

  let index = 0;
  while (index < lines.length) {
    const start = index;
    const first = lines[index]!;
    index++;
    if (isBlankOrComment(first)) continue;
    let logical = first;
    while (endsWithEscape(logical, escapeChar) && index < lines.length) {
      logical = stripEscape(logical, escapeChar);
      while (index < lines.length && /^\s*(#|$)/.test(lines[index]!)) index++;
      const next = lines[index] ?? "";
      index++;
      logical += next;
    }
    if (endsWithEscape(logical, escapeChar)) logical = stripEscape(logical, escapeChar);
    const heredocs: Heredoc[] = [];
    if (HEREDOC_INSTRUCTIONS.has(firstWord(logical))) {
      for (const marker of heredocMarkers(logical)) {
        const body: string[] = [];
        let closed = false;
        while (index < lines.length) {
          const text = lines[index]!;
          index++;
          const compared = marker.stripTabs ? text.replace(/^\t+/, "") : text;
          if (compared === marker.name) {
            closed = true;
            break;
          }
          body.push(compared);
        }
        if (!closed) {
          problems.push({
            line: start + 1,
            message: `The here-document <<${marker.name} is never closed: end it with a line that says only ${marker.name}.`,
          });
        }
        heredocs.push({ ...marker, content: body.join("\n") });
      }
    }
    const instruction = toInstruction(logical, start + 1, index, heredocs);
    const problem = checkInstruction(instruction);
    if (problem) problems.push(problem);
    instructions.push(instruction);
  }

  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const stage = toStage(instruction, stages.length);
      if (typeof stage === "string") problems.push({ line: instruction.line, message: stage });
      else stages.push(stage);
      continue;
    }
    const current = stages.at(-1);
    if (current) current.instructions.push(instruction);
    else if (instruction.keyword === "ARG") globalArgs.push(instruction);
    else if (KNOWN_INSTRUCTIONS.includes(instruction.keyword as (typeof KNOWN_INSTRUCTIONS)[number])) {
      problems.push({
        line: instruction.line,
        message: `${instruction.keyword} comes before the first FROM; a Dockerfile must start with FROM (only ARG may come before it).`,
      });
    }
  }
  if (instructions.length === 0) problems.push({ line: 1, message: "The Dockerfile has no instructions." });
  else if (stages.length === 0 && problems.length === 0) {
    problems.push({
      line: 1,
      message: "There is no FROM instruction: every image starts FROM a base image.",
    });
  }

  problems.sort((a, b) => a.line - b.line);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, dockerfile: { escapeChar, directives, globalArgs, stages, instructions } };
}

/** The stage whose image is the build result: the last one. */
export function finalStage(dockerfile: Dockerfile): Stage {
  return dockerfile.stages.at(-1)!;
}

/** Directives count only in the leading comment lines, before any blank line or instruction. */
function readDirectives(lines: string[]): Record<string, string> {
  const directives: Record<string, string> = {};
  for (const line of lines) {
    const directive = /^\s*#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!directive) break;
    const name = directive[1]!.toLowerCase();
    if (!DIRECTIVES.has(name) || name in directives) break;
    directives[name] = directive[2]!;
  }
  return directives;
}

function firstWord(logical: string): string {
  return (/^\s*(\S+)/.exec(logical)?.[1] ?? "").toUpperCase();
}

/** The `<<NAME` markers of a line, in order (`<<-NAME`, `<<"NAME"` and `<<'NAME'` too). */
function heredocMarkers(logical: string): Array<Omit<Heredoc, "content">> {
  return [...logical.matchAll(/<<(-?)(["']?)([A-Za-z_][\w-]*)\2/g)].map((match) => ({
    name: match[3]!,
    stripTabs: match[1] === "-",
    quoted: match[2] !== "",
  }));
}

function isBlankOrComment(line: string): boolean {
  return line.trim() === "" || /^\s*#/.test(line);
}

function endsWithEscape(line: string, escapeChar: string): boolean {
  return line.trimEnd().endsWith(escapeChar);
}

function stripEscape(line: string, escapeChar: string): string {
  const trimmed = line.trimEnd();
  return trimmed.slice(0, trimmed.length - escapeChar.length);
}

function toInstruction(logical: string, line: number, endLine: number, heredocs: Heredoc[]): Instruction {
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical)!;
  const keyword = match[1]!.toUpperCase();
  const args = match[2]!.trim();
  const { flags, rest } = splitFlags(args);
  let form: Instruction["form"];
  let exec: string[] | undefined;
  if (COMMAND_INSTRUCTIONS.has(keyword)) {
    exec = parseExecForm(rest);
    form = exec ? "exec" : "shell";
  }
  return { keyword, args, flags, rest, form, exec, heredocs, line, endLine };
}

function splitFlags(args: string): { flags: InstructionFlag[]; rest: string } {
  const flags: InstructionFlag[] = [];
  let rest = args;
  for (;;) {
    const flag = /^--([A-Za-z][\w-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest);
    if (!flag) break;
    flags.push({ name: flag[1]!, value: flag[2] });
    rest = rest.slice(flag[0].length);
  }
  return { flags, rest: rest.trim() };
}

/** A JSON array of strings, or undefined (the builder then treats the text as shell form). */
export function parseExecForm(text: string): string[] | undefined {
  if (!text.startsWith("[")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  } catch {
    return undefined;
  }
  return undefined;
}

function checkInstruction(instruction: Instruction): SyntaxProblem | undefined {
  const { keyword, line } = instruction;
  if (!KNOWN_INSTRUCTIONS.includes(keyword as (typeof KNOWN_INSTRUCTIONS)[number])) {
    const suggestion = closestMatch(keyword, KNOWN_INSTRUCTIONS);
    return {
      line,
      message: `Unknown instruction ${keyword}${suggestion ? ` (did you mean ${suggestion}?)` : ""}.`,
    };
  }
  if (instruction.rest === "") {
    return { line, message: `${keyword} needs arguments.` };
  }
  if (NEEDS_TWO_ARGUMENTS.has(keyword) && instruction.heredocs.length === 0) {
    const parts = parseExecForm(instruction.rest) ?? instruction.rest.split(/\s+/);
    if (parts.length < 2) {
      return { line, message: `${keyword} needs a source and a destination, e.g. ${keyword} main.go /src/.` };
    }
  }
  return undefined;
}

function toStage(from: Instruction, index: number): Stage | string {
  const words = from.rest.split(/\s+/);
  const base = words[0]!;
  if (words.length === 1) return { index, name: undefined, base, from, instructions: [] };
  if (words.length === 3 && words[1]!.toUpperCase() === "AS") {
    return { index, name: words[2]!.toLowerCase(), base, from, instructions: [] };
  }
  return `FROM takes one image and an optional "AS name"; found "${from.rest}".`;
}
