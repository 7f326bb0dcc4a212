import type { DeckTranscriptEntry } from "./example-source.ts";

export interface TranscriptOptions {
  /** Print each step's title as a note above its command. */
  notes: boolean;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A shell session as an attendee sees it, as HTML that tells its parts apart without colour: a note
 * (italic, after »), the prompt `$` and the command (bold), the output (upright, indented by a rule),
 * and a bracketed line where the slide shows an excerpt.
 */
export function renderTranscript(entries: DeckTranscriptEntry[], options: TranscriptOptions): string {
  const lines: string[] = [];
  for (const entry of entries) {
    if (options.notes && entry.note) lines.push(`<span class="note">» ${escapeHtml(entry.note)}</span>`);
    const command = entry.command.split("\n").map(escapeHtml);
    lines.push(
      `<span class="command"><span class="prompt">$ </span>${command
        .map((line, index) => (index === 0 ? line : `  ${line}`))
        .join("\n")}</span>`,
    );
    if (entry.output !== undefined && entry.output !== "")
      lines.push(`<span class="output">${escapeHtml(entry.output.replace(/\n+$/, ""))}</span>`);
    if (entry.excerpt) lines.push(`<span class="excerpt">[excerpt: ${escapeHtml(entry.excerpt)}]</span>`);
  }
  return `<pre class="transcript"><code>${lines.join("\n")}</code></pre>`;
}
