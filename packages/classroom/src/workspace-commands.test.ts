import { describe, expect, it } from "vitest";
import { namedCommands } from "./workspace-commands.ts";

describe("namedCommands", () => {
  it("finds pnpm scripts with their subcommand and options, and bash scripts", () => {
    const named = namedCommands(
      "pnpm install --frozen-lockfile && pnpm deck serve --port 4100\nbash .devcontainer/post-start.sh; pnpm --silent images pull",
    );
    expect(named.pnpm).toEqual([
      { script: "install", subcommand: undefined, options: ["--frozen-lockfile"], viaRun: false },
      { script: "deck", subcommand: "serve", options: ["--port"], viaRun: false },
      { script: "images", subcommand: "pull", options: [], viaRun: false },
    ]);
    expect(named.scripts).toEqual([".devcontainer/post-start.sh"]);
  });

  it("sees pnpm run <script>", () => {
    expect(namedCommands("pnpm run doctor --json").pnpm).toEqual([
      { script: "doctor", subcommand: undefined, options: ["--json"], viaRun: true },
    ]);
  });

  it("does not take punctuation or placeholders for a subcommand", () => {
    const named = namedCommands("run `pnpm deck serve`, then pnpm images load <file>");
    expect(named.pnpm.map((entry) => entry.subcommand)).toEqual(["serve", "load"]);
    expect(namedCommands("pnpm images load <file>").pnpm[0]!.options).toEqual([]);
  });
});
