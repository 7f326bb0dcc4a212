import { describe, expect, it } from "vitest";
import { isCi } from "./ci.ts";

describe("isCi", () => {
  it("is true for any non-empty CI value and false without one", () => {
    expect([isCi({ CI: "true" }), isCi({ CI: "1" }), isCi({ CI: "yes" })]).toEqual([true, true, true]);
    expect([isCi({}), isCi({ CI: "" })]).toEqual([false, false]);
  });
});
