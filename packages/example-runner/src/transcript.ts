import { stepCommand } from "./commands.ts";
import type { LoadedExample } from "./loader.ts";
import { TRANSCRIPT_PLACEHOLDERS } from "./placeholders.ts";
import type { Step, TextMatcher } from "./schema.ts";

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

/** The matchers on what the step prints, stdout first. */
function outputMatchers(step: Step): TextMatcher[] {
  switch (step.kind) {
    case "run":
    case "exec":
    case "shell":
    case "logs":
      return [step.expect?.stdout, step.expect?.output, step.expect?.stderr].filter(isMatcher);
    case "http":
      return [step.expect.body].filter(isMatcher);
    case "check-file":
      return [step.expect.content].filter(isMatcher);
    case "build":
      return [step.expect?.output].filter(isMatcher);
    default:
      return [];
  }
}

function isMatcher(value: TextMatcher | undefined): value is TextMatcher {
  return value !== undefined;
}

export function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
