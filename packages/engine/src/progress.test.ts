import { describe, expect, it } from "vitest";
import { formatBytes, PullProgressTracker } from "./progress.ts";

describe("PullProgressTracker", () => {
  it("sums layers into one line", () => {
    const tracker = new PullProgressTracker();
    tracker.update({ id: "2408cc74d12b", status: "Downloading", current: 1_000_000, total: 3_000_000 });
    tracker.update({ id: "dd61fcc63eac", status: "Already exists", current: undefined, total: undefined });
    tracker.update({
      id: "latest",
      status: "Pulling from library/nginx",
      current: undefined,
      total: undefined,
    });
    expect(tracker.summary()).toBe("1/2 layers, 1.00 MB of 3.00 MB");
    tracker.update({ id: "2408cc74d12b", status: "Pull complete", current: undefined, total: undefined });
    expect(tracker.summary()).toBe("2/2 layers, 3.00 MB of 3.00 MB");
  });
});

describe("formatBytes", () => {
  it("uses decimal units like docker images", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(6_280_000)).toBe("6.28 MB");
    expect(formatBytes(334_000_000)).toBe("334.0 MB");
  });
});
