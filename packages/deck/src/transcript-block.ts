import type { DeckTranscriptEntry } from "./example-source.ts";
import { fenced } from "./fence.ts";

export interface TranscriptOptions {
  /** Print each step's title as a `#` comment above its command. */
  notes: boolean;
}

/** A shell session as an attendee would see it: `$ command`, then the expected output. */
export function renderTranscript(entries: DeckTranscriptEntry[], options: TranscriptOptions): string {
  const lines: string[] = [];
  for (const entry of entries) {
    if (options.notes && entry.note) lines.push(`# ${entry.note}`);
    lines.push(...entry.command.split("\n").map((line, index) => (index === 0 ? `$ ${line}` : `  ${line}`)));
    if (entry.output !== undefined && entry.output !== "") lines.push(entry.output.replace(/\n+$/, ""));
  }
  // "transcript" is no highlight.js language: comments and outputs stay plain instead of half-coloured as bash.
  return fenced(lines.join("\n"), "transcript");
}
