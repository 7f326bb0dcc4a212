/** A build-time directive written as an HTML comment alone on its line. */
export type Directive =
  | { kind: "include"; path: string }
  | { kind: "excerpt"; path: string; heading: string }
  | { kind: "transcript"; example: string; from: number | undefined; to: number | undefined; notes: boolean }
  | { kind: "recorded-with" };

export type DirectiveParse = { directive: Directive } | { error: string } | undefined;

const comment = /^\s*<!--\s*(include|excerpt|transcript|recorded-with)\s*:\s*(.*?)\s*-->\s*$/;

/**
 * Reads one line. `undefined`: not a directive (plain markdown or a speaker note).
 *   <!-- include: examples/ports/Dockerfile -->
 *   <!-- excerpt: exercise/webserver-volume-access/README.md#Task -->
 *   <!-- transcript: ports -->            every step
 *   <!-- transcript: ports 2-4 -->        steps 2 to 4 (1-based), `3` or `3-` also work
 *   <!-- transcript: ports no-notes -->   without the step titles as # comments
 *   <!-- recorded-with: all -->           bullets: the engine, and what each course image was
 */
export function parseDirective(line: string): DirectiveParse {
  const match = comment.exec(line);
  if (!match) return undefined;
  const kind = match[1] as Directive["kind"];
  const argument = match[2] ?? "";
  if (argument === "") return { error: `${kind} needs an argument` };
  if (kind === "recorded-with")
    return argument === "all"
      ? { directive: { kind } }
      : { error: `recorded-with takes "all", got "${argument}"` };
  if (kind === "include") return { directive: { kind, path: argument } };
  if (kind === "excerpt") {
    const hash = argument.indexOf("#");
    if (hash <= 0 || hash === argument.length - 1) {
      return { error: `excerpt needs <file>#<heading>, got "${argument}"` };
    }
    return { directive: { kind, path: argument.slice(0, hash), heading: argument.slice(hash + 1).trim() } };
  }
  return parseTranscript(argument);
}

function parseTranscript(argument: string): DirectiveParse {
  const [example, ...options] = argument.split(/\s+/);
  let from: number | undefined;
  let to: number | undefined;
  let notes = true;
  for (const option of options) {
    const range = /^(\d+)(?:(-)(\d*))?$/.exec(option);
    if (option === "no-notes") notes = false;
    else if (range) {
      from = Number(range[1]);
      to = range[2] ? (range[3] ? Number(range[3]) : undefined) : from;
      if (from < 1 || (to !== undefined && to < from)) return { error: `bad step range "${option}"` };
    } else return { error: `unknown transcript option "${option}" (use a step range like 2-4, or no-notes)` };
  }
  return { directive: { kind: "transcript", example: example!, from, to, notes } };
}
