import { describe, expect, it } from "vitest";
import { closestMatch, editDistance } from "./closest.ts";

describe("closestMatch", () => {
  const names = ["hello-world", "start-stop", "bind-mounts", "ports", "volumes", "my-hello-world"];

  it("suggests the nearest name for a typo", () => {
    expect(closestMatch("prots", names)).toBe("ports");
    expect(closestMatch("bind-mount", names)).toBe("bind-mounts");
  });

  it("suggests nothing for an unrelated word", () => {
    expect(closestMatch("kubernetes", names)).toBeUndefined();
  });

  it("counts edits", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
