/** The commands a workspace configuration names, so a test can check each exists in the repository. */

export interface NamedCommands {
  /** `pnpm <script> [subcommand]` */
  pnpm: { script: string; subcommand: string | undefined; options: string[]; viaRun: boolean }[];
  /** `bash <file>` */
  scripts: string[];
}

/** pnpm's own commands, which are not package.json scripts. */
export const PNPM_BUILTINS = new Set(["install", "add", "exec", "dlx"]);

/**
 * Scripts whose name is also a pnpm command: `pnpm <name>` runs pnpm's own, so they must be called as
 * `pnpm run <name>` (pnpm has a built-in `doctor`).
 */
export const SHADOWED_BY_PNPM = new Set(["doctor", "audit", "list", "outdated", "update", "link", "store"]);

export function namedCommands(text: string): NamedCommands {
  const pnpm: NamedCommands["pnpm"] = [];
  for (const match of text.matchAll(/\bpnpm((?:\s+--silent)?(?:\s+run)?)\s+([a-z][\w:-]*)([^\n;&|`,)]*)/g)) {
    const rest = (match[3] ?? "").trim().split(/\s+/).filter(Boolean);
    const subcommand = rest[0] && /^[a-z][\w-]*$/.test(rest[0]) ? rest[0] : undefined;
    const options = rest.flatMap((word) => /^--[a-z][\w-]*/.exec(word)?.[0] ?? []);
    pnpm.push({ script: match[2]!, subcommand, options, viaRun: /\brun$/.test(match[1] ?? "") });
  }
  const scripts = [...text.matchAll(/\bbash\s+([\w./-]+\.sh)\b/g)].map((match) => match[1]!);
  return { pnpm, scripts };
}
