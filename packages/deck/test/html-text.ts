const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** The text a reader sees in built HTML: tags removed, entities decoded. */
export function htmlText(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** Slides in resolved Marp markdown, counted independently of Marp: `---` lines outside fences and front matter. */
export function countSlideSeparators(markdown: string): number {
  const lines = markdown.split("\n");
  let index = 0;
  if (lines[0] === "---") {
    index = lines.indexOf("---", 1) + 1;
  }
  let fence: string | undefined;
  let slides = 1;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence === undefined && line === "---") slides++;
  }
  return slides;
}
