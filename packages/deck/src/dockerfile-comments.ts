/** A line of a Dockerfile where a `#` follows an instruction on the same line. */
export interface EndOfLineComment {
  line: number;
  text: string;
}

/**
 * Dockerfiles have no end-of-line comments: a `#` after an instruction is an argument (`ARG A=1 # x`
 * declares three arguments, `A`, `#` and `x`; `ENV A=1 # x` does not build). Comments belong on their own line.
 * Quoted `#` (a URL fragment, a shell string) is fine.
 */
export function endOfLineComments(dockerfile: string): EndOfLineComment[] {
  const found: EndOfLineComment[] = [];
  for (const [index, line] of dockerfile.split("\n").entries()) {
    if (/^\s*(#|$)/.test(line)) continue;
    let quote: string | undefined;
    for (let at = 0; at < line.length; at++) {
      const char = line[at]!;
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === "#" && at > 0 && /\s/.test(line[at - 1]!)) {
        found.push({ line: index + 1, text: line });
        break;
      }
    }
  }
  return found;
}
