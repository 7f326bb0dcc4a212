import { describe, expect, it } from "vitest";
import { throttle } from "./throttle.ts";

describe("throttle", () => {
  it("lets one line through per interval", () => {
    let clock = 0;
    const seen: string[] = [];
    const report = throttle(
      (line) => seen.push(line),
      500,
      () => clock,
    );
    for (const [time, line] of [
      [0, "a"],
      [100, "b"],
      [499, "c"],
      [500, "d"],
      [900, "e"],
      [1200, "f"],
    ] as const) {
      clock = time;
      report(line);
    }
    expect(seen).toEqual(["a", "d", "f"]);
  });
});
