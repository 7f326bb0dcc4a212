import { describe, expect, it } from "vitest";
import { course } from "./class-harness.ts";
import { p95, simulateClass } from "./simulate-class.ts";

describe("a full class on loopback", () => {
  it("takes 50 attendees posting a full course (every example, every criterion) within a minute and loses nothing", async () => {
    const result = await simulateClass({ attendees: 50, spreadMs: 20_000, deadlineMs: 60_000 });
    expect(result.postsSent).toBe(50 * course.length);
    expect(result.postsAccepted).toBe(50 * course.length);
    expect(result.lost).toEqual([]);
    expect(result.elapsedMs).toBeLessThan(60_000);
    process.stderr.write(
      `[ INFO ] class load: ${result.postsAccepted} posts in ${(result.elapsedMs / 1000).toFixed(1)} s, p95 ${p95(result.latenciesMs).toFixed(1)} ms\n`,
    );
  }, 90_000);
});
