import { z } from "zod";
import { checkProcess } from "../expectations.ts";
import { processExpectationSchema, stepBase, timeoutSeconds } from "../fields.ts";
import {
  composeCommand,
  composeFields,
  composeName,
  composeScriptSetup,
  projectResource,
  runCompose,
} from "./compose-project.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { captured, processChecks } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

/** The argv after `docker compose`: what the attendee types and what runs. */
function upArgs(step: { build: boolean; wait: boolean; services?: string[] | undefined }): string[] {
  return [
    "up",
    "-d",
    ...(step.build ? ["--build"] : []),
    ...(step.wait ? ["--wait"] : []),
    ...(step.services ?? []),
  ];
}

export const composeUp = defineStepKind({
  schema: z
    .object({
      kind: z.literal("compose-up").describe("Step kind"),
      ...stepBase,
      ...composeFields,
      build: z.boolean().default(false).describe("--build: build the services' images again before starting"),
      wait: z
        .boolean()
        .default(true)
        .describe("--wait: return once every service runs and those with a health check are healthy"),
      services: z.array(composeName).optional().describe("Only these services (and what they depend on)"),
      expect: processExpectationSchema.optional(),
      timeoutSeconds,
    })
    .strict()
    .describe("docker compose up -d: create and start the project's services in the background"),
  command: (step, values) => composeCommand(step, values, ...upArgs(step)),
  async execute(step, context) {
    const outcome = await runCompose(step, context, upArgs(step), {
      timeoutSeconds: step.timeoutSeconds ?? 600,
    });
    if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
    return verdict(checkProcess(step.expect, outcome));
  },
  script: (step, command) => [
    ...composeScriptSetup(step),
    ...captured(command),
    ...processChecks(step.expect),
  ],
  checkRecorded: (step, recorded) => checkProcess(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
  creates: projectResource,
});
