import { EXIT, isKitError } from "@bct/errors";
import { Console } from "./console.ts";

/**
 * Runs a command's main and turns its outcome into an exit code. A KitError becomes a friendly
 * `[ ERROR ]` with its hint; anything else is a bug and keeps its stack.
 */
export async function runCli(
  main: (console: Console) => Promise<number>,
  console = new Console(),
): Promise<never> {
  let code: number;
  try {
    code = await main(console);
  } catch (error) {
    code = reportError(error, console);
  }
  process.exit(code);
}

export function reportError(error: unknown, console: Console): number {
  if (isKitError(error)) {
    console.error(error.message);
    if (error.hint) console.stderr.write(`${error.hint.replace(/^/gm, "  ")}\n`);
    return error.exitCode;
  }
  console.error("Unexpected failure (a bug in the kit; please report it with the stack below):");
  console.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.failure;
}

/** Ends the process as interrupted (130): what a command passes to the engine's interrupt cleanup. */
export function exitInterrupted(): never {
  process.exit(EXIT.interrupted);
}
