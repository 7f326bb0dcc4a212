export { type CommandSpec, type OptionSpec, type ParsedArgs, parseCommandArgs, renderHelp } from "./args.ts";
export { closestMatch, editDistance } from "./closest.ts";
export { colourEnabled, type Palette, palette } from "./colour.ts";
export { Console, type Writable } from "./console.ts";
export { reportError, runCli } from "./run-cli.ts";
