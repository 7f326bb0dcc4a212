import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deckPaths, findRepoRoot } from "../src/paths.ts";

const assets = deckPaths(findRepoRoot()).assetsDir;
const diagrams = readdirSync(assets).filter((name) => name.endsWith(".svg") && name !== "logo.svg");

type Rgb = [number, number, number];
const hex = (value: string): Rgb | undefined => {
  const match = /^#([0-9a-f]{6})$/i.exec(value.trim());
  if (!match) return value.trim() === "white" ? [255, 255, 255] : undefined;
  const n = Number.parseInt(match[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const luminance = ([r, g, b]: Rgb) => {
  const f = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};
const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** Every label of a diagram with its colour and the fill of the last shape drawn under it (white if none). */
function labels(svg: string) {
  const shapes: Array<{ x: number; y: number; width: number; height: number; fill: Rgb }> = [];
  const found: Array<{ text: string; size: number; colour: Rgb; background: Rgb }> = [];
  for (const match of svg.matchAll(/<(rect|text)\b([^>]*)>(?:([^<]*)<\/text>)?/g)) {
    const [, kind, attributes] = match;
    const tag = ` ${attributes}`;
    if (kind === "rect") {
      const fill = hex(attribute(tag, "fill") ?? "");
      if (fill)
        shapes.push({
          x: Number(attribute(tag, "x") ?? 0),
          y: Number(attribute(tag, "y") ?? 0),
          width: Number(attribute(tag, "width")),
          height: Number(attribute(tag, "height")),
          fill,
        });
      continue;
    }
    const size = Number(attribute(tag, "font-size"));
    const x = Number(attribute(tag, "x"));
    const y = Number(attribute(tag, "y")) - size * 0.35;
    const under = shapes.filter(
      (shape) => x >= shape.x && x <= shape.x + shape.width && y >= shape.y && y <= shape.y + shape.height,
    );
    found.push({
      text: match[3] ?? "",
      size,
      colour: hex(attribute(tag, "fill") ?? "#000000") ?? [0, 0, 0],
      background: under.at(-1)?.fill ?? [255, 255, 255],
    });
  }
  return found;
}

describe("the diagrams", () => {
  it.each(diagrams)(
    "%s: every label at least 20 units and 4.5:1 (3:1 from 24) against what it sits on",
    (name) => {
      const svg = readFileSync(join(assets, name), "utf8");
      const all = labels(svg);
      expect(all.length).toBeGreaterThan(5);
      const problems = all.flatMap((label) => {
        const ratio = contrast(label.colour, label.background);
        const needed = label.size >= 24 ? 3 : 4.5;
        return [
          ...(label.size < 20 ? [`"${label.text}": ${label.size}`] : []),
          ...(ratio < needed ? [`"${label.text}": ${ratio.toFixed(2)}:1`] : []),
        ];
      });
      expect(problems).toEqual([]);
      expect(svg).toMatch(/<title[^>]*>[^<]{10,}<\/title>/);
    },
  );
});
