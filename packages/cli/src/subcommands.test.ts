import { describe, expect, it } from "vitest";
import { runSubcommand } from "./subcommands.ts";

const calls: string[][] = [];
const table = {
  build: async (argv: string[]) => {
    calls.push(["build", ...argv]);
    return 0;
  },
  serve: async () => 3,
};

describe("runSubcommand", () => {
  it("runs the named sub-command with the rest of the words, a leading -- ignored", async () => {
    expect(await runSubcommand(["--", "build", "--out", "x"], table, { usage: "pnpm deck" })).toBe(0);
    expect(calls.at(-1)).toEqual(["build", "--out", "x"]);
    expect(await runSubcommand(["serve"], table, { usage: "pnpm deck" })).toBe(3);
  });

  it("hands other words to `otherwise`, or refuses them with the closest name", async () => {
    expect(await runSubcommand(["ports"], table, { usage: "pnpm x", otherwise: async (w) => w.length })).toBe(
      1,
    );
    await expect(runSubcommand(["biuld"], table, { usage: "pnpm deck" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: 'Unknown command "biuld" (did you mean "build"?).',
    });
  });
});
