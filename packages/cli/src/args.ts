import { parseArgs } from "node:util";
import { closestMatch, KitError } from "@bct/errors";
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
    throw new KitError("INVALID_INPUT", argumentProblem(spec, error), { hint: `See ${spec.usage} --help` });
  }
}

/** One line for what parseArgs refused, in the kit's words (its own text names Node's syntax rules). */
function argumentProblem(spec: CommandSpec, error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const names = [...Object.keys(spec.options), "help"];
    const near = closestMatch(option.replace(/^-+/, ""), names);
    return `Unknown option ${option}.${near ? ` Did you mean --${near}?` : ""}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    const name = option.replace(/^-+/, "");
    const spelled = spec.options[name];
    if (spelled?.type === "string")
      return `--${name} needs a value: --${name} <${spelled.valueName ?? "value"}>.`;
    if (spelled?.type === "boolean" || name === "help") return `--${name} takes no value.`;
  }
  return message;
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
