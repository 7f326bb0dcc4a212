import {
  exampleTranscript,
  type LoadedExample,
  loadExamples,
  type TranscriptEntry,
} from "@bct/example-runner";

/** What the deck needs of an example: the shape `loadExamples` of @bct/example-runner returns. */
export type DeckExample = Pick<LoadedExample, "name" | "dir"> & {
  manifest: Pick<LoadedExample["manifest"], "title" | "section" | "order" | "description">;
};

/** One step as an attendee would type it, with the output the manifest expects. */
export type DeckTranscriptEntry = TranscriptEntry;

/** Where examples and their transcripts come from: the runner in the build, a fake in tests. */
export interface ExampleSource {
  loadExamples(repoRoot: string): Promise<DeckExample[]>;
  exampleTranscript(example: DeckExample): DeckTranscriptEntry[];
}

/** The example runner's own exports: the manifests are the single source of commands and outputs. */
export function runnerExampleSource(): ExampleSource {
  return {
    loadExamples,
    exampleTranscript: (example) => exampleTranscript(example as LoadedExample),
  };
}
