import { join } from "node:path";
import type { DeckExample, DeckTranscriptEntry, ExampleSource } from "../src/example-source.ts";

/** A stand-in for the runner's exports over the fixture repository (tests only). */
export function fakeExampleSource(transcripts: Record<string, DeckTranscriptEntry[]>): ExampleSource {
  return {
    async loadExamples(repoRoot: string): Promise<DeckExample[]> {
      return Object.keys(transcripts).map((name, order) => ({
        name,
        dir: join(repoRoot, "examples", name),
        manifest: { title: name, section: "first-steps", order, description: `The ${name} example` },
      }));
    },
    exampleTranscript(example: DeckExample): DeckTranscriptEntry[] {
      return transcripts[example.name] ?? [];
    },
  };
}

export const fixtureTranscripts: Record<string, DeckTranscriptEntry[]> = {
  ports: [
    { command: "docker run -d --name web -p 1234:80 nginx:1.30-alpine", note: "Publish port 80 on 1234" },
    { command: "curl -s localhost:1234", output: "Welcome to nginx!", note: "Ask the server" },
    { command: "docker kill web", output: "web" },
  ],
  greet: [{ command: "make builder", output: "docker build -t builder -f Dockerfile.builder ." }],
};

export const fixtureRepo = join(import.meta.dirname, "fixtures", "repo");
