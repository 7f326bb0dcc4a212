const FACTOR: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

/** "20MB" → 20_000_000 (decimal units, as docker prints sizes). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|kB|MB|GB)$/.exec(text);
  if (!match) throw new Error(`not a size: ${text}`);
  return Number(match[1]) * FACTOR[match[2]!]!;
}
