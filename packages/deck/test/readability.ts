/**
 * Runs in the page (passed to page.evaluate, so it must be self-contained): every text node of every
 * slide, its computed font size and its contrast against what is behind it, as WCAG 2 computes it.
 */
export function measureSlides() {
  type Rgba = [number, number, number, number];
  const parse = (value: string): Rgba[] =>
    [...value.matchAll(/rgba?\(([^)]+)\)/g)].map((match) => {
      const parts = match[1]!
        .split(/[,\s/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    });
  const over = (top: Rgba, base: Rgba): Rgba => {
    const a = top[3];
    return [
      top[0] * a + base[0] * (1 - a),
      top[1] * a + base[1] * (1 - a),
      top[2] * a + base[2] * (1 - a),
      1,
    ];
  };
  const luminance = ([r, g, b]: Rgba) => {
    const f = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a: Rgba, b: Rgba) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };
  /** Every colour the background behind an element can have (a gradient gives several). */
  const backgrounds = (element: Element, section: Element): Rgba[] => {
    const chain: Element[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) {
      chain.push(node);
      if (node === section) break;
    }
    let bases: Rgba[] = [[255, 255, 255, 1]];
    for (const node of chain.reverse()) {
      const style = getComputedStyle(node);
      const gradient = parse(style.backgroundImage);
      if (gradient.length > 0) bases = gradient.flatMap((stop) => bases.map((base) => over(stop, base)));
      const colour = parse(style.backgroundColor)[0];
      if (colour && colour[3] > 0) bases = bases.map((base) => over(colour, base));
    }
    return bases;
  };

  const sections = Array.from(document.querySelectorAll("svg[data-marpit-svg] > foreignObject > section"));
  const tooSmall: string[] = [];
  const lowContrast: string[] = [];
  const characters: number[] = [];
  let checkedTextNodes = 0;
  sections.forEach((section, index) => {
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
    let count = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      if (text.trim() === "") continue;
      const element = node.parentElement!;
      const style = getComputedStyle(element);
      if (style.display === "none" || style.visibility === "hidden") continue;
      checkedTextNodes++;
      count += text.trim().length;
      const size = Number.parseFloat(style.fontSize);
      const where = `slide ${index + 1} <${element.tagName.toLowerCase()}> "${text.trim().slice(0, 40)}"`;
      if (size < 20) tooSmall.push(`${where}: ${size}px`);
      const colour = parse(style.color)[0]!;
      const needed = size >= 24 ? 3 : 4.5;
      const worst = Math.min(
        ...backgrounds(element, section).map((base) => contrast(over(colour, base), base)),
      );
      if (worst < needed) lowContrast.push(`${where}: ${worst.toFixed(2)}:1 at ${size}px`);
    }
    characters[index] = count;
  });
  const images = sections.flatMap((section, index) =>
    Array.from(section.querySelectorAll("img")).map((image) => ({
      slide: index + 1,
      src: image.getAttribute("src") ?? "",
      alt: image.getAttribute("alt") ?? "(none)",
      width: (image as HTMLElement).offsetWidth,
    })),
  );
  return { tooSmall, lowContrast, characters, checkedTextNodes, images };
}
