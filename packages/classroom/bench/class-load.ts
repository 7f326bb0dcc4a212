import { loadavg } from "node:os";
import { formatBytes } from "@bct/engine";
import { p50, p95, simulateClass } from "../test/simulate-class.ts";

/**
 * `pnpm bench class-load`: simulated attendees each post a full course to `pnpm classroom serve` on
 * loopback within a minute, while live views (the trainer's page among them) watch; a bystander reads
 * the grid once a second. 50 attendees with 50 views, then 500 with 500 (BCT_BENCH_CLASS=50 for the
 * first only).
 */
export async function bench(): Promise<void> {
  const sizes = process.env.BCT_BENCH_CLASS === "50" ? [50] : [50, 500];
  const failures: string[] = [];
  for (const attendees of sizes) {
    const result = await simulateClass({
      attendees,
      views: attendees,
      spreadMs: 60_000,
      deadlineMs: 120_000,
    });
    const max = Math.max(...result.latenciesMs);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
    console.log(
      `class server, ${attendees} attendees, ${result.views} live views: ${result.postsAccepted}/${result.postsSent} posts acknowledged in ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.lost.length} results lost`,
    );
    console.log(
      `  post latency: p50 ${p50(result.latenciesMs).toFixed(1)} ms, p95 ${p95(result.latenciesMs).toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    console.log(
      `  bystander GET /api/grid: p50 ${p50(result.gridLatenciesMs).toFixed(1)} ms, p95 ${p95(result.gridLatenciesMs).toFixed(1)} ms (${result.gridLatenciesMs.length} reads)`,
    );
    console.log(
      `  live views: ${result.viewsUpToDate}/${result.viewsFollowed} followed views up to date at the end, ${result.viewsBroken} broken, at most ${formatBytes(result.maxViewBytes)} received by one view`,
    );
    console.log(
      `  server memory: ${mb(result.rss.joined)} once all joined, ${mb(result.rss.end)} at the end, ${mb(result.rss.settled)} 5 s after the views closed`,
    );
    console.log(
      `  CPU during the run: server ${result.cpu.server.toFixed(1)} s, simulator ${result.cpu.simulator.toFixed(1)} s (machine load average ${loadavg()[0]!.toFixed(1)})`,
    );
    if (result.lost.length > 0 || result.postsAccepted !== result.postsSent)
      failures.push(`${attendees} attendees: results lost: ${result.lost.slice(0, 5).join(", ")}`);
  }
  if (failures.length > 0) throw new Error(failures.join("; "));
}
