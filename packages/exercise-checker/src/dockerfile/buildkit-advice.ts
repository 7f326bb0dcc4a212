import type { Dockerfile } from "@bct/dockerfile";
import type { BuildCheckWarning } from "@bct/engine";
import { execForm } from "../diagnoses/start.ts";
import type { LintAdvice } from "./lint.ts";

/**
 * BuildKit's warnings as advice, each with its rule and link; where the course has more to say about a rule
 * (why it matters for this program), that follows BuildKit's words.
 */
export function buildkitAdvice(warnings: BuildCheckWarning[], dockerfile: Dockerfile): LintAdvice[] {
  return warnings.map((warning) => {
    const note = COURSE_NOTES[warning.rule]?.(warning, dockerfile);
    return {
      rule: warning.rule,
      source: "buildkit" as const,
      line: warning.line,
      message: `${warning.rule}: ${warning.detail}.${note ? ` ${note}` : ""}`,
      ...(warning.url ? { url: warning.url } : {}),
    };
  });
}

type Note = (warning: BuildCheckWarning, dockerfile: Dockerfile) => string | undefined;

const COURSE_NOTES: Record<string, Note> = {
  JSONArgsRecommended: (warning, dockerfile) => {
    const instruction = dockerfile.instructions.find((candidate) => candidate.line === warning.line);
    if (!instruction) return undefined;
    const written = instruction.rest.trim();
    const looksLikeJson = written.startsWith("[");
    const argv = looksLikeJson ? singleQuotedArray(written) : written.split(/\s+/);
    const fix = argv ? ` Write ${instruction.keyword} ${execForm(argv)}.` : "";
    const why = looksLikeJson
      ? `${instruction.keyword} ${written} is not a JSON array (JSON wants double quotes), so Docker takes it as shell form: it runs through /bin/sh -c, which scratch does not have.`
      : `In shell form your program runs under /bin/sh -c: the shell gets docker stop's SIGTERM and your program never does, so docker stop waits 10 s and then kills it; in scratch there is no /bin/sh at all.`;
    return `${why}${fix}`;
  },
};

function singleQuotedArray(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text.replace(/'/g, '"'));
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}
