import { describe, expect, it } from "vitest";
import { formatTable } from "./table.ts";

describe("formatTable", () => {
  it("aligns every column to its widest cell and trims the line ends", () => {
    expect(
      formatTable(
        ["NAME", "STATE"],
        [
          ["nginx", "Up"],
          ["a", "Exited (0)"],
        ],
        "   ",
      ),
    ).toEqual(["NAME    STATE", "nginx   Up", "a       Exited (0)"]);
  });

  it("works without a header", () => {
    expect(
      formatTable(undefined, [
        ["ab", "x"],
        ["c", "yy"],
      ]),
    ).toEqual(["ab  x", "c   yy"]);
  });
});
