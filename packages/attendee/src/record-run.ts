import { classRequest } from "./class-client.ts";
import { readMembership, saveMembership } from "./class-membership.ts";
import { addToProgress } from "./progress-record.ts";
import { MAX_OUTCOMES_PER_POST, type RunOutcome } from "./run-outcome.ts";
import { stateDir } from "./state-dir.ts";

/** The longest a run's end waits for the class server. */
export const POST_BUDGET_MS = 1000;
/** After a failed post, the next run does not try again before this long. */
export const AWAY_BACKOFF_MS = 60_000;
const REFUSED = -1;

export interface RecordOptions {
  env?: Record<string, string | undefined>;
  now?: () => number;
  budgetMs?: number;
}

/**
 * The one call at the end of `pnpm example` and `pnpm check-exercise`: adds the outcomes to the
 * attendee's own record and, when they joined a class, posts them (with any the trainer missed while
 * away). It never throws, and never waits longer than the budget: a trainer who is away costs at most
 * one short wait a minute, and the results wait in the outbox for the next run.
 */
export async function recordRun(outcomes: RunOutcome[], options: RecordOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  try {
    const dir = stateDir(options.env ?? process.env);
    if (!dir || outcomes.length === 0) return;
    addToProgress(dir, outcomes, new Date(now()));
    const membership = readMembership(dir);
    if (!membership) return;
    membership.outbox.push(...outcomes);
    if (membership.awayUntil > now()) {
      saveMembership(dir, membership);
      return;
    }
    const batch = membership.outbox.slice(-MAX_OUTCOMES_PER_POST);
    const budget = options.budgetMs ?? POST_BUDGET_MS;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), budget);
    const posted = await classRequest(membership.url, "/api/results", {
      token: membership.token,
      body: { results: batch },
      timeoutMs: budget,
      signal: abort.signal,
    }).then(
      (answer) => answer.status,
      (error: NodeJS.ErrnoException) => (error.code === "ECONNREFUSED" ? REFUSED : 0),
    );
    clearTimeout(timer);
    // 429 (too fast) keeps the outbox for the next run; another 4xx will not get better by sending the
    // same again, so it is dropped rather than retried forever. A refused connection costs no wait (the
    // trainer's machine answered: the server is restarting), so the next run sends the queue at once;
    // only a trainer who does not answer at all is left alone for a minute.
    if (posted === 429 || posted === REFUSED) membership.awayUntil = 0;
    else if (posted >= 200 && posted < 500) membership.outbox = [];
    else membership.awayUntil = now() + AWAY_BACKOFF_MS;
    saveMembership(dir, membership);
  } catch {
    // The attendee's command must not fail because of its record.
  }
}

/** The outcomes of one check-exercise run: the criteria that were checked (skipped and open ones are not). */
export function outcomesOfCheck(
  criteria: ReadonlyArray<{ id: string; status: string; durationMs: number }>,
): RunOutcome[] {
  return criteria
    .filter((criterion) => criterion.status === "pass" || criterion.status === "fail")
    .map((criterion) => ({
      kind: "criterion",
      id: criterion.id,
      ok: criterion.status === "pass",
      durationMs: criterion.durationMs,
    }));
}
