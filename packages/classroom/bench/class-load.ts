import { p50, p95, simulateClass } from "../test/simulate-class.ts";

/** 50 simulated attendees each post a full course to `pnpm classroom serve` on loopback, within a minute. */
export async function bench(): Promise<void> {
  const result = await simulateClass({ attendees: 50, spreadMs: 20_000, deadlineMs: 60_000 });
  const max = Math.max(...result.latenciesMs);
  console.log(
    `class server: ${result.attendees} attendees, ${result.postsAccepted}/${result.postsSent} posts accepted in ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.lost.length} results lost`,
  );
  console.log(
    `post latency: p50 ${p50(result.latenciesMs).toFixed(1)} ms, p95 ${p95(result.latenciesMs).toFixed(1)} ms, max ${max.toFixed(1)} ms`,
  );
  if (result.lost.length > 0 || result.postsAccepted !== result.postsSent)
    throw new Error(`results lost: ${result.lost.slice(0, 5).join(", ")}`);
}
