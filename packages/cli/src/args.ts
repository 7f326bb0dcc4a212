import { parseArgs } from "node:util";
import { KitError } from "@bct/errors";
import { formatTable } from "./table.ts";

export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  description: string;
  /** Shown as `--name <value>` in the help. */
  valueName?: string;
  default?: string | boolean;
  multiple?: boolean;
}

export interface CommandSpec {
  /** As typed, e.g. "pnpm example". */
  usage: string;
  summary: string;
  /** Positional arguments, e.g. ["[name]"], for the usage line. */
  positionals?: string[];
  options: Record<string, OptionSpec>;
  /** Lines shown under "Examples:". */
  examples?: string[];
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
}

/** Parses argv strictly: an unknown option is a clear error that points at --help. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options: Record<string, { type: "boolean" | "string"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const parsed = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options,
      allowPositionals: true,
      strict: true,
    });
    const values: ParsedArgs["values"] = {};
    for (const [name, option] of Object.entries(spec.options)) {
      values[name] = (parsed.values[name] as ParsedArgs["values"][string]) ?? option.default;
    }
    return { values, positionals: parsed.positionals, help: parsed.values.help === true };
  } catch (error) {
    throw new KitError("INVALID_INPUT", (error as Error).message, { hint: `See ${spec.usage} --help` });
  }
}

export function renderHelp(spec: CommandSpec): string {
  const lines = [
    spec.summary,
    "",
    `Usage: ${[spec.usage, ...(spec.positionals ?? []), "[options]"].join(" ")}`,
    "",
    "Options:",
  ];
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : "    "}--${name}${option.type === "string" ? ` <${option.valueName ?? "value"}>` : ""}`;
    const fallback =
      option.default !== undefined && option.default !== false ? ` (default: ${option.default})` : "";
    return [flag, `${option.description}${fallback}`];
  });
  rows.push(["-h, --help", "Show this help"]);
  for (const line of formatTable(undefined, rows)) lines.push(`  ${line}`);
  if (spec.examples?.length) {
    lines.push("", "Examples:");
    for (const example of spec.examples) lines.push(`  ${example}`);
  }
  return `${lines.join("\n")}\n`;
}
