import { Marp } from "@marp-team/marp-core";
import { MARP_OPTIONS } from "./marp.ts";

/** How many slides Marp makes of the markdown (the HTML and the PDF must both have this many). */
export function countSlides(markdown: string): number {
  const { html } = new Marp({ ...MARP_OPTIONS, markdown: { ...MARP_OPTIONS.markdown } }).render(markdown);
  return html.match(/<section\b/g)?.length ?? 0;
}
