import { z } from "zod";
import { checkText, type ProcessOutcome } from "../expectations.ts";
import type { PlaceholderValues } from "../placeholders.ts";
import { build } from "./build.ts";
import { checkFile } from "./check-file.ts";
import { composeDown } from "./compose-down.ts";
import { composeLogs } from "./compose-logs.ts";
import { composePs } from "./compose-ps.ts";
import { composeUp } from "./compose-up.ts";
import { exec } from "./exec.ts";
import { http } from "./http.ts";
import { inspectImage } from "./inspect-image.ts";
import { kill } from "./kill.ts";
import { logs } from "./logs.ts";
import { networkCreate } from "./network-create.ts";
import { networkRm } from "./network-rm.ts";
import { ps } from "./ps.ts";
import { pull } from "./pull.ts";
import { push } from "./push.ts";
import { rm } from "./rm.ts";
import { rmi } from "./rmi.ts";
import { run } from "./run.ts";
import { shell } from "./shell.ts";
import { start } from "./start.ts";
import type { NamedResource, StepContext, StepKind, StepResult } from "./step-kind.ts";
import { stop } from "./stop.ts";
import { tag } from "./tag.ts";
import { volumeCreate } from "./volume-create.ts";
import { volumeInspect } from "./volume-inspect.ts";
import { volumeRm } from "./volume-rm.ts";
import { writeFileStep } from "./write-file.ts";

/** Every step kind, in the order the docs list them. Adding a kind: its module, and one entry here. */
export const STEP_KINDS = [
  pull,
  build,
  run,
  stop,
  start,
  kill,
  rm,
  ps,
  exec,
  logs,
  http,
  writeFileStep,
  checkFile,
  inspectImage,
  networkCreate,
  networkRm,
  volumeCreate,
  volumeRm,
  volumeInspect,
  tag,
  push,
  rmi,
  shell,
  composeUp,
  composePs,
  composeLogs,
  composeDown,
] as const;

type SchemasOf<Kinds extends readonly unknown[]> = {
  -readonly [I in keyof Kinds]: Kinds[I] extends { schema: infer Schema } ? Schema : never;
};
type Schemas = SchemasOf<typeof STEP_KINDS>;

export const stepSchema = z
  .discriminatedUnion("kind", STEP_KINDS.map((kind) => kind.schema) as unknown as Schemas)
  .describe("One step of an example");
export type Step = z.infer<typeof stepSchema>;
export type StepKindName = Step["kind"];
export type StepOf<K extends StepKindName> = Extract<Step, { kind: K }>;

const BY_NAME = new Map<string, StepKind>(
  STEP_KINDS.map((kind) => [kind.schema.shape.kind.value, kind as StepKind]),
);

/** The module of a step's kind, typed for any step (each module checks its own). */
function kindOf(step: Step): Required<Pick<StepKind, "command" | "execute" | "script">> & StepKind {
  const kind = BY_NAME.get(step.kind);
  if (!kind) throw new Error(`no module for step kind ${step.kind}`);
  return kind as never;
}

/** The command an attendee types for a step (the deck's, the runner's echo, or a line of the --print script). */
export function stepCommand(step: Step, values: PlaceholderValues): string {
  return kindOf(step).command(step as never, values);
}

/** Runs one step through the engine (or bash for `shell`) and checks its expectations. */
export function executeStep(step: Step, context: StepContext): Promise<StepResult> {
  return kindOf(step).execute(step as never, context);
}

/** The step's lines in the --print script. */
export function stepScript(step: Step, scriptCommand: string): string[] {
  return kindOf(step).script(step as never, scriptCommand);
}

/** What the step prints, as matchers from its expectations (empty when it states nothing about it). */
export function outputMatchers(step: Step) {
  return kindOf(step).outputMatchers?.(step as never) ?? [];
}

/** What is wrong with a recorded output of the step, one line each; empty when it meets the step's expectations. */
export function checkRecordedOutput(step: Step, recorded: ProcessOutcome): string[] {
  const kind = kindOf(step);
  if (kind.checkRecorded) return kind.checkRecorded(step as never, recorded);
  return outputMatchers(step).flatMap((matcher) => checkText("stdout", recorded.stdout, matcher));
}

export function createdResources(step: Step): NamedResource[] {
  return kindOf(step).creates?.(step as never) ?? [];
}

/** Images the example builds or tags itself. */
export function ownImages(steps: readonly Step[]): Set<string> {
  return new Set(steps.flatMap((step) => kindOf(step).ownImages?.(step as never) ?? []));
}

export type { NamedResource, StepContext, StepResult } from "./step-kind.ts";
