export { closestMatch, EXIT, editDistance, isKitError, KitError } from "@bct/errors";
export { type CommandSpec, type OptionSpec, type ParsedArgs, parseCommandArgs, renderHelp } from "./args.ts";
export { callerPath } from "./caller-path.ts";
export { colourEnabled, type Palette, palette } from "./colour.ts";
export { Console, type Writable } from "./console.ts";
export { isEntryPoint } from "./entry-point.ts";
export { findRepoRoot } from "./repo-root.ts";
export { exitInterrupted, reportError, runCli } from "./run-cli.ts";
export { formatTable } from "./table.ts";
