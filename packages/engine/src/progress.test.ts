import { describe, expect, it } from "vitest";
import { cliProgressLine, formatBytes, PullProgressTracker } from "./progress.ts";

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

describe("cliProgressLine", () => {
  it("prints what the docker CLI prints without a terminal: id: status, and nothing for a progress bar", () => {
    expect(
      cliProgressLine({
        id: undefined,
        status: "The push refers to repository [localhost:5000/x]",
        current: undefined,
        total: undefined,
      }),
    ).toBe("The push refers to repository [localhost:5000/x]");
    expect(
      cliProgressLine({
        id: "75654b8eeebd",
        status: "Layer already exists",
        current: undefined,
        total: undefined,
      }),
    ).toBe("75654b8eeebd: Layer already exists");
    expect(
      cliProgressLine({ id: "75654b8eeebd", status: "Pushing", current: 512, total: 4096 }),
    ).toBeUndefined();
  });
});
