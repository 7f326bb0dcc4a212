import type { LoadedExample } from "./loader.ts";
import { TRANSCRIPT_PLACEHOLDERS } from "./placeholders.ts";
import { outputMatchers, type Step, stepCommand } from "./steps/index.ts";
import { toList } from "./text.ts";

export interface TranscriptEntry {
  /** Exactly what the runner prints before the step: the command an attendee types in the example's folder. */
  command: string;
  /** The expected output when the manifest states it exactly, else a representative excerpt. */
  output?: string;
  /** The step's title. */
  note?: string;
}

/** The example as a shell transcript, for the deck. */
export function exampleTranscript(example: LoadedExample): TranscriptEntry[] {
  return example.manifest.steps.map((step) => {
    const entry: TranscriptEntry = { command: stepCommand(step, TRANSCRIPT_PLACEHOLDERS), note: step.title };
    const output = expectedOutput(step);
    if (output !== undefined) entry.output = output;
    return entry;
  });
}

function expectedOutput(step: Step): string | undefined {
  const matchers = outputMatchers(step);
  const exact = matchers.find((matcher) => matcher.equals !== undefined)?.equals;
  if (exact !== undefined) return exact.replace(/\n+$/, "");
  if (step.sampleOutput !== undefined) return step.sampleOutput.replace(/\n+$/, "");
  const excerpt = matchers.flatMap((matcher) => toList(matcher.contains));
  return excerpt.length > 0 ? excerpt.join("\n") : undefined;
}
