import { expect, it } from "vitest";
import { imageMode } from "./mode.ts";
import { standInRefusal } from "./upstream.ts";

it("reads BCT_IMAGES: stand-ins by default, upstream on request, anything else is an error", () => {
  expect(imageMode({})).toBe("standins");
  expect(imageMode({ BCT_IMAGES: "" })).toBe("standins");
  expect(imageMode({ BCT_IMAGES: "upstream" })).toBe("upstream");
  expect(() => imageMode({ BCT_IMAGES: "real" })).toThrow(/BCT_IMAGES=real: expected "standins"/);
});

it("names every stand-in it refuses", () => {
  const text = standInRefusal(["alpine:3.24", "golang:1.27"]);
  expect(text).toContain("2 course image(s)");
  expect(text).toContain("  alpine:3.24\n  golang:1.27\n");
});
