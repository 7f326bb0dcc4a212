import { KitError } from "@bct/engine";
import { courseImages, type LoadedExample, loadExamples, readRecording } from "@bct/example-runner";
import { type RecordedEntry, recordedEntries } from "./recorded-transcript.ts";

/** What the deck needs of an example: the shape `loadExamples` of @bct/example-runner returns. */
export type DeckExample = Pick<LoadedExample, "name" | "dir"> & {
  manifest: Pick<LoadedExample["manifest"], "title" | "section" | "order" | "description">;
};

/** One step as an attendee would type it, with the output a recorded run printed. */
export type DeckTranscriptEntry = RecordedEntry;

/** Where examples and their transcripts come from: the runner and the recordings in the build, a fake in tests. */
export interface ExampleSource {
  loadExamples(repoRoot: string): Promise<DeckExample[]>;
  exampleTranscript(example: DeckExample): DeckTranscriptEntry[];
  recordedWith?(examples: DeckExample[]): string;
  /** Repository -> the reference the course pins for it. */
  courseImages?(repoRoot: string): Promise<Map<string, string>>;
}

/** The manifests give the commands, examples/NAME/recording.json what a real run printed. */
export function runnerExampleSource(): ExampleSource {
  return {
    loadExamples,
    exampleTranscript: (example) => {
      const loaded = example as LoadedExample;
      const read = readRecording(loaded);
      if (!read.ok)
        throw new KitError("INVALID_INPUT", `The deck shows recorded output only: ${read.problem}`, {
          hint: "Record every example once: pnpm example --all --record",
        });
      return recordedEntries(loaded.manifest.steps, read.recording, example.name);
    },
    courseImages: async (repoRoot) => {
      const byRepository = new Map<string, { ref: string; uses: number }>();
      for (const image of await courseImages(repoRoot)) {
        const repository = image.ref.replace(/[:@].*$/, "");
        const known = byRepository.get(repository);
        if (!known || image.usedBy.length > known.uses)
          byRepository.set(repository, { ref: image.ref, uses: image.usedBy.length });
      }
      return new Map([...byRepository].map(([repository, { ref }]) => [repository, ref]));
    },
    recordedWith: (examples) => {
      const engines = new Set<string>();
      const images = new Set<string>();
      for (const example of examples) {
        const read = readRecording(example as LoadedExample);
        if (!read.ok) continue;
        engines.add(read.recording.recordedWith.engine);
        images.add(read.recording.recordedWith.images);
      }
      const standIns = images.has("stand-ins")
        ? " Some were recorded with the kit's offline stand-in images, so sizes and a few texts differ from what the real images print."
        : "";
      return `Outputs recorded with Docker Engine ${[...engines].join(", ")}.${standIns}`;
    },
  };
}
