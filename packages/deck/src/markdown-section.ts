export interface SectionLookup {
  body: string | undefined;
  headings: string[];
}

const fenceLine = /^\s*(`{3,}|~{3,})/;
const headingLine = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * The text under a markdown heading, up to the next heading of the same or a higher level.
 * Headings inside code fences do not count. Also returns every heading, for error messages.
 */
export function markdownSection(markdown: string, heading: string): SectionLookup {
  const lines = markdown.split("\n");
  const headings: string[] = [];
  let inFence = false;
  let start = -1;
  let level = 0;
  let end = lines.length;
  for (const [index, line] of lines.entries()) {
    if (fenceLine.test(line)) inFence = !inFence;
    if (inFence) continue;
    const match = headingLine.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    const text = match[2]!;
    headings.push(text);
    if (start >= 0 && end === lines.length && depth <= level) end = index;
    if (start < 0 && text.toLowerCase() === heading.toLowerCase()) {
      start = index + 1;
      level = depth;
    }
  }
  if (start < 0) return { body: undefined, headings };
  return { body: lines.slice(start, end).join("\n").trim(), headings };
}
