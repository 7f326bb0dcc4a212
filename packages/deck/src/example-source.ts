import { KitError } from "@bct/engine";

/** What the deck needs of an example: the shape `loadExamples` of @bct/example-runner returns. */
export interface DeckExample {
  name: string;
  dir: string;
  manifest: { title: string; section: string; order: number; description: string };
}

/** One step as an attendee would type it, with the output the manifest expects. */
export interface DeckTranscriptEntry {
  command: string;
  output?: string;
  note?: string;
}

/** Where examples and their transcripts come from: the runner in the build, a fake in tests. */
export interface ExampleSource {
  loadExamples(repoRoot: string): Promise<DeckExample[]>;
  exampleTranscript(example: DeckExample): DeckTranscriptEntry[];
}

/** The example runner's own exports: the manifests are the single source of commands and outputs. */
export async function runnerExampleSource(): Promise<ExampleSource> {
  const specifier = "@bct/example-runner";
  let runner: Partial<ExampleSource>;
  try {
    runner = (await import(specifier)) as Partial<ExampleSource>;
  } catch (error) {
    throw new KitError("INVALID_INPUT", `Cannot load ${specifier}: ${(error as Error).message}`, {
      hint: "The deck takes commands and outputs from the example runner; install the workspace with pnpm install.",
      cause: error,
    });
  }
  const { loadExamples, exampleTranscript } = runner;
  if (typeof loadExamples !== "function" || typeof exampleTranscript !== "function") {
    throw new KitError("INVALID_INPUT", `${specifier} does not export loadExamples and exampleTranscript`);
  }
  return { loadExamples, exampleTranscript };
}
