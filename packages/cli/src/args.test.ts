import type { KitError } from "@bct/errors";
import { describe, expect, it } from "vitest";
import { type CommandSpec, parseCommandArgs, renderHelp } from "./args.ts";

const spec: CommandSpec = {
  usage: "pnpm example",
  summary: "Runs an example of the course.",
  positionals: ["[name]"],
  options: {
    json: { type: "boolean", description: "Print results as JSON" },
    pull: { type: "string", description: "Pull policy", valueName: "policy", default: "missing" },
  },
  examples: ["pnpm example ports"],
};

describe("parseCommandArgs", () => {
  it("reads options, defaults and positionals", () => {
    const parsed = parseCommandArgs(spec, ["ports", "--json"]);
    expect(parsed.positionals).toEqual(["ports"]);
    expect(parsed.values).toEqual({ json: true, pull: "missing" });
    expect(parsed.help).toBe(false);
  });

  it("ignores the -- that pnpm passes through", () => {
    expect(parseCommandArgs(spec, ["--", "ports"]).positionals).toEqual(["ports"]);
  });

  it("rejects an unknown option in one line of its own, with the closest option and a pointer to --help", () => {
    const refusal = (() => {
      try {
        parseCommandArgs(spec, ["--jsno"]);
      } catch (error) {
        return error as KitError;
      }
    })();
    expect(refusal?.message).toBe("Unknown option --jsno. Did you mean --json?");
    expect(refusal?.hint).toBe(`See ${spec.usage} --help`);
  });
});

describe("renderHelp", () => {
  it("lists usage, options with defaults, and examples", () => {
    expect(renderHelp(spec)).toMatchInlineSnapshot(`
      "Runs an example of the course.

      Usage: pnpm example [name] [options]

      Options:
            --json           Print results as JSON
            --pull <policy>  Pull policy (default: missing)
        -h, --help           Show this help

      Examples:
        pnpm example ports
      "
    `);
  });
});
