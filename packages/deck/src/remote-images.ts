/** Image sources in built HTML that point at the web: `<img src>`, CSS `url()`, leftover markdown images. */
export function remoteImageSources(html: string): string[] {
  const found: string[] = [];
  const patterns = [
    /<img\b[^>]*?\ssrc\s*=\s*["']?\s*([^"'\s>]+)/gi,
    /<image\b[^>]*?\s(?:xlink:)?href\s*=\s*["']\s*([^"']+)/gi,
    /url\(\s*(?:&quot;|["'])?\s*([^"')&\s]+)/gi,
    /!\[[^\]]*\]\(\s*([^)\s]+)/g,
    /<source\b[^>]*?\ssrcset\s*=\s*["']\s*([^"'\s]+)/gi,
  ];
  for (const pattern of patterns) {
    for (const match of html.matchAll(pattern)) {
      const target = match[1]!;
      if (/^(https?:)?\/\//i.test(target)) found.push(target);
    }
  }
  return found;
}
