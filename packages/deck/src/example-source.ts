import { KitError } from "@bct/engine";
import {
  courseImages,
  type ImageProvenance,
  type LoadedExample,
  loadExamples,
  type Recording,
  readRecording,
} from "@bct/example-runner";
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
      const recordings = examples.flatMap((example) => {
        const read = readRecording(example as LoadedExample);
        return read.ok ? [read.recording] : [];
      });
      return recordedWithBullets(recordings);
    },
  };
}

/** What the deck says of its outputs, as Markdown bullets: the engine, and what each course image was when they were recorded. */
export function recordedWithBullets(recordings: Recording[]): string {
  const engines = [...new Set(recordings.map((recording) => recording.recordedWith.engine))];
  const byContent = new Map<ImageProvenance["content"], Map<string, string | undefined>>();
  for (const recording of recordings)
    for (const [ref, provenance] of Object.entries(recording.recordedWith.images)) {
      const refs = byContent.get(provenance.content) ?? new Map<string, string | undefined>();
      refs.set(ref, provenance.files);
      byContent.set(provenance.content, refs);
    }
  const list = (refs: Iterable<string>) =>
    [...refs]
      .sort()
      .map((ref) => `\`${ref}\``)
      .join(", ");
  const bullets = [`- Docker Engine ${engines.join(", ")}`];
  const upstream = byContent.get("upstream");
  if (upstream) bullets.push(`- The real upstream images: ${list(upstream.keys())}`);
  const files = byContent.get("upstream-files");
  if (files) {
    const folders = [...new Set([...files.values()].filter((folder) => folder !== undefined))].sort();
    bullets.push(
      `- Test images made of the upstream images' own files (${folders.join(", ")}; a release can be older than its tag): ${list(files.keys())}`,
    );
  }
  const models = byContent.get("model");
  if (models)
    bullets.push(
      `- Offline models built from Debian packages, so sizes and some texts differ: ${list(models.keys())}`,
    );
  return bullets.join("\n");
}
