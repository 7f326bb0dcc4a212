import { z } from "zod";
import { checkProcess } from "../expectations.ts";
import { processExpectationSchema, stepBase, timeoutSeconds } from "../fields.ts";
import { composeCommand, composeFields, composeScriptSetup, runCompose } from "./compose-project.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { captured, processChecks } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

/** The argv after `docker compose`: what the attendee types and what runs. */
function psArgs(step: { all: boolean; format?: string | undefined }): string[] {
  return ["ps", ...(step.all ? ["-a"] : []), ...(step.format ? ["--format", step.format] : [])];
}

export const composePs = defineStepKind({
  schema: z
    .object({
      kind: z.literal("compose-ps").describe("Step kind"),
      ...composeFields,
      ...stepBase,
      all: z.boolean().default(false).describe("-a: stopped containers too"),
      format: z.string().min(1).optional().describe("--format: a Go template per container, or json"),
      expect: processExpectationSchema.optional(),
      timeoutSeconds,
    })
    .strict()
    .describe("docker compose ps: the project's containers, their service, state and health"),
  command: (step, values) => composeCommand(step, values, ...psArgs(step)),
  async execute(step, context) {
    const outcome = await runCompose(step, context, psArgs(step), {
      timeoutSeconds: step.timeoutSeconds ?? 60,
    });
    return verdict(checkProcess(step.expect, outcome));
  },
  script: (step, command) => [
    ...composeScriptSetup(step),
    ...captured(command),
    ...processChecks(step.expect),
  ],
  checkRecorded: (step, recorded) => checkProcess(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
});
