import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { confirmReveal } from "./solution.ts";

function terminal(answer: string) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let asked = "";
  output.on("data", (chunk: Buffer) => {
    asked += chunk.toString();
    if (asked.includes("[y/N]")) input.write(`${answer}\n`);
  });
  return { io: { input, output }, asked: () => asked };
}

describe("confirmReveal", () => {
  it.each([
    ["y", true],
    ["YES", true],
    ["", false],
    ["n", false],
    ["maybe", false],
  ])("asks on a terminal and takes %j as %s", async (answer, expected) => {
    const { io, asked } = terminal(answer);
    expect(await confirmReveal(false, io)).toBe(expected);
    expect(asked()).toMatch(/Show one possible solution\? .* \[y\/N\] $/);
  });

  it("does not ask with --yes", async () => {
    const { io, asked } = terminal("n");
    expect(await confirmReveal(true, io)).toBe(true);
    expect(asked()).toBe("");
  });
});
