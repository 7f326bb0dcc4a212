import type { DeckExample } from "./example-source.ts";

/** Examples the deck never shows: each one must appear at least once. */
export function unreferencedExamples(examples: DeckExample[], referenced: Set<string>): string[] {
  return examples.map((example) => example.name).filter((name) => !referenced.has(name));
}
