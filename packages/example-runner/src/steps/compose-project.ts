import type { ComposeOutcome } from "@bct/engine";
import { COMPOSE_OVERRIDES, shellQuote } from "@bct/engine";
import { z } from "zod";
import { envMap } from "../fields.ts";
import type { PlaceholderValues } from "../placeholders.ts";
import { argv } from "./script-lines.ts";
import type { NamedResource, StepContext } from "./step-kind.ts";

/** What every Compose step names: the project (the compose file's `name:`) and the variables it reads. */
/** A Compose project or service name: what `docker compose` accepts (lower case, digits, - and _). */
export const composeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "a Compose name: lower-case letters, digits, - and _");

export const composeFields = {
  project: composeName.describe(
    "The compose file's top-level name: (Compose's project, whose label marks what it creates; cleanup removes all of it)",
  ),
  env: envMap
    .optional()
    .describe(
      "Variables the compose file interpolates, set for this command (GREETING=Hi docker compose up)",
    ),
};

interface ComposeStep {
  project: string;
  env?: Record<string, string> | undefined;
}

/** `NAME=value docker compose <args>`, as typed in the example's folder. */
export function composeCommand(step: ComposeStep, values: PlaceholderValues, ...args: string[]): string {
  const assignments = Object.entries(step.env ?? {}).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return [...assignments, argv(values, "docker", "compose", ...args)].join(" ");
}

/** Runs `docker compose <args>` through the engine in the example's folder, its output shown as it comes. */
export function runCompose(
  step: ComposeStep,
  context: StepContext,
  args: string[],
  options: { timeoutSeconds: number; stopWhen?: (outcome: ComposeOutcome) => boolean; stream?: boolean },
): Promise<ComposeOutcome> {
  const stream = options.stream ?? true;
  return context.engine.compose.run({
    dir: context.example.dir,
    project: step.project,
    args,
    env: step.env,
    timeoutMs: options.timeoutSeconds * 1000,
    stopWhen: options.stopWhen,
    onStdout: stream ? (text) => context.out.write(text) : undefined,
    onStderr: stream ? (text) => context.console.stderr.write(text) : undefined,
  });
}

/** The script's first lines of a Compose step: the caller's overrides go, and the project is cleaned up at exit. */
export function composeScriptSetup(step: ComposeStep): string[] {
  return [`unset ${COMPOSE_OVERRIDES.join(" ")}`, `remember project ${shellQuote(step.project)}`];
}

export const projectResource = (step: ComposeStep): NamedResource[] => [
  { type: "project", name: step.project },
];
