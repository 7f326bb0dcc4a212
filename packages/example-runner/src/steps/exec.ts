import { z } from "zod";
import { checkProcess } from "../expectations.ts";
import { containerName, envMap, processExpectationSchema, stepBase, stringList } from "../fields.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { argv, captured, processChecks } from "./script-lines.ts";
import { defineStepKind, verdict, writeOutcome } from "./step-kind.ts";

export const exec = defineStepKind({
  schema: z
    .object({
      kind: z.literal("exec").describe("Step kind"),
      ...stepBase,
      container: containerName,
      command: stringList.min(1, "the command to run in the container"),
      user: z.string().optional().describe("--user"),
      env: envMap.optional(),
      workdir: z.string().optional().describe("--workdir"),
      expect: processExpectationSchema.optional(),
    })
    .strict()
    .describe("docker exec"),
  command(step, values) {
    const parts = ["docker", "exec"];
    if (step.user) parts.push("--user", step.user);
    for (const [key, value] of Object.entries(step.env ?? {})) parts.push("--env", `${key}=${value}`);
    if (step.workdir) parts.push("--workdir", step.workdir);
    return argv(values, ...parts, step.container, ...step.command);
  },
  async execute(step, context) {
    const outcome = await context.engine.containers.exec(step.container, step.command, {
      user: step.user,
      env: step.env,
      workdir: step.workdir,
    });
    writeOutcome(context.out, context.console, outcome);
    if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
    return verdict(checkProcess(step.expect, outcome));
  },
  script: (step, command) => [...captured(command), ...processChecks(step.expect)],
  checkRecorded: (step, recorded) => checkProcess(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
});
