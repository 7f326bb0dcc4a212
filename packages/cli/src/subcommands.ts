import { closestMatch, KitError } from "@bct/errors";

export type Subcommand = (argv: string[]) => Promise<number>;

/**
 * Runs the sub-command named by the first word (`pnpm deck build`, `pnpm example clean`). A leading "--",
 * which `pnpm <script> -- x` passes through, separates nothing. Without a match, `otherwise` gets the words
 * (an example's name); without `otherwise`, the word is an error that suggests the closest sub-command.
 */
export async function runSubcommand(
  argv: string[],
  subcommands: Record<string, Subcommand>,
  options: { usage: string; otherwise?: Subcommand },
): Promise<number> {
  const words = argv[0] === "--" ? argv.slice(1) : argv;
  const [first, ...rest] = words;
  const subcommand = first === undefined ? undefined : subcommands[first];
  if (subcommand) return subcommand(rest);
  if (options.otherwise) return options.otherwise(words);
  const names = Object.keys(subcommands);
  const suggestion = first === undefined ? undefined : closestMatch(first, names);
  throw new KitError(
    "INVALID_INPUT",
    first === undefined
      ? `${options.usage} needs a command: ${names.join(", ")}.`
      : `Unknown command "${first}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}.`,
    { hint: `See ${options.usage} --help` },
  );
}
