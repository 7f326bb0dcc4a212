import { z } from "zod";
import { checkProcess } from "../expectations.ts";
import { processExpectationSchema, stepBase, timeoutSeconds } from "../fields.ts";
import { composeCommand, composeFields, composeScriptSetup, runCompose } from "./compose-project.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { captured, processChecks } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

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
  command: (step, values) =>
    composeCommand(step, values, "ps", step.all && "-a", ...(step.format ? ["--format", step.format] : [])),
  async execute(step, context) {
    const args = ["ps", ...(step.all ? ["-a"] : []), ...(step.format ? ["--format", step.format] : [])];
    const outcome = await runCompose(step, context, args, { timeoutSeconds: step.timeoutSeconds ?? 60 });
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
