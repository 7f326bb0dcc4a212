import { shellQuote } from "@bct/engine";
import { PLACEHOLDER } from "./fields.ts";

/** What {{workdir}} and {{example}} become: shell expressions when rendering commands, real paths when running. */
export interface PlaceholderValues {
  workdir: string;
  example: string;
}

/** The deck and the runner's echo: commands typed in the example's folder. */
export const TRANSCRIPT_PLACEHOLDERS: PlaceholderValues = { workdir: "$PWD", example: "$PWD" };
/** The `--print` script: a temporary work dir and the example folder it cd'd into. */
export const SCRIPT_PLACEHOLDERS: PlaceholderValues = { workdir: "$WORKDIR", example: "$EXAMPLE_DIR" };

const PATTERN = /\{\{(workdir|example)\}\}/g;

export function hasPlaceholder(text: string): boolean {
  return text.includes(PLACEHOLDER.workdir) || text.includes(PLACEHOLDER.example);
}

/** Replaces the placeholders by literal values (paths, or shell text inside a script). */
export function substitute(text: string, values: PlaceholderValues): string {
  return text.replace(PATTERN, (_, name: "workdir" | "example") => values[name]);
}

/**
 * Quotes one argument for bash. An argument holding a placeholder becomes a double-quoted word in which only
 * the placeholder's expression ($PWD, $WORKDIR) expands.
 */
export function quoteArgument(argument: string, values: PlaceholderValues): string {
  if (!hasPlaceholder(argument)) return shellQuote(argument);
  const parts = argument.split(PATTERN);
  let word = "";
  parts.forEach((part, index) => {
    if (index % 2 === 1) word += values[part as "workdir" | "example"];
    else word += part.replace(/["$`\\]/g, (character) => `\\${character}`);
  });
  return `"${word}"`;
}

export function joinArguments(argv: string[], values: PlaceholderValues): string {
  return argv.map((argument) => quoteArgument(argument, values)).join(" ");
}
