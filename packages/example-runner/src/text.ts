/** Trailing newlines never count: `echo hi` equals "hi", as `$(...)` in bash sees it. */
export function trimTrailingNewlines(text: string): string {
  return text.replace(/[\r\n]+$/, "");
}

/** A matcher's one-or-many texts as a list. */
export function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
