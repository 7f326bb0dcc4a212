import { Marp } from "@marp-team/marp-core";

/** How many slides Marp makes of the markdown (the HTML and the PDF must both have this many). */
export function countSlides(markdown: string): number {
  const { html } = new Marp({ emoji: { shortcode: false, unicode: false }, math: false }).render(markdown);
  return html.match(/<section\b/g)?.length ?? 0;
}
