export { findChromium } from "./browser.ts";
export { type BuildOptions, type BuildResult, buildDeck } from "./build.ts";
export type { DeckExample, DeckTranscriptEntry, ExampleSource } from "./example-source.ts";
export { runnerExampleSource } from "./example-source.ts";
export { type DeckPaths, deckPaths, findRepoRoot } from "./paths.ts";
export { preprocessSlides } from "./preprocess.ts";
export { DEFAULT_PORT, type RunningServer, serveDeck } from "./serve.ts";
