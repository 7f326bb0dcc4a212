import { z } from "zod";

/**
 * What a run tells the class and the attendee's own record: which example or exercise criterion,
 * pass or fail, how long it took. Never file contents, environment or paths.
 */
export const runOutcomeSchema = z
  .object({
    kind: z.enum(["example", "criterion"]).describe("An example of the deck or a criterion of the exercise"),
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, "an example name or criterion id (lower case, digits, -)")
      .describe("The example's folder name or the criterion's id"),
    ok: z.boolean().describe("Passed"),
    durationMs: z.number().nonnegative().max(86_400_000).describe("How long the run took"),
  })
  .strict();
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

/** Most outcomes one post may carry: one check-exercise run sends every criterion at once. */
export const MAX_OUTCOMES_PER_POST = 32;

export const resultPostSchema = z
  .object({
    results: z.array(runOutcomeSchema).min(1).max(MAX_OUTCOMES_PER_POST),
  })
  .strict();
export type ResultPost = z.infer<typeof resultPostSchema>;

/** The grid's column key of an outcome: "example:ports", "criterion:builds". */
export function columnKey(outcome: Pick<RunOutcome, "kind" | "id">): string {
  return `${outcome.kind}:${outcome.id}`;
}
