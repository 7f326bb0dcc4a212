import { labelFlags, shellQuote } from "@bct/engine";
import { z } from "zod";
import { checkProcess } from "../expectations.ts";
import { envMap, nonEmpty, processExpectationSchema, stepBase, timeoutSeconds } from "../fields.ts";
import { type PlaceholderValues, SCRIPT_PLACEHOLDERS, substitute } from "../placeholders.ts";
import { runBash } from "../shell.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { captured, processChecks } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

/** A shell step's script as shown: placeholders replaced; in the deck the kit's $BCT_LABELS is left out. */
export function shellScriptText(script: string, values: PlaceholderValues): string {
  const text = substitute(script, values).replace(/\n+$/, "");
  if (values.workdir === "$WORKDIR") return text;
  return text.replace(/ ?(\$BCT_LABELS|\$\{BCT_LABELS\}|"\$BCT_LABELS")/g, "");
}

export const shell = defineStepKind({
  schema: z
    .object({
      kind: z.literal("shell").describe("Step kind"),
      ...stepBase,
      script: nonEmpty.describe(
        "bash, run in the example folder with DOCKER_HOST set and BCT_LABELS (--label flags: put them on docker build/run/buildx so what they create is cleaned up); {{workdir}} and {{example}} are replaced",
      ),
      env: envMap.optional(),
      expect: processExpectationSchema.optional(),
      timeoutSeconds,
    })
    .strict()
    .describe("bash, for what has no Engine API (make, buildx, date arithmetic)"),
  command: (step, values) => shellScriptText(step.script, values),
  async execute(step, context) {
    const env = {
      ...context.engine.cliEnvironment(),
      ...step.env,
      BCT_LABELS: labelFlags(context.engine.session),
      WORKDIR: context.workdir,
      EXAMPLE_DIR: context.example.dir,
    };
    const outcome = await runBash(substitute(step.script, SCRIPT_PLACEHOLDERS), {
      cwd: context.example.dir,
      env,
      timeoutMs: (step.timeoutSeconds ?? 300) * 1000,
      onStdout: (text) => context.out.write(text),
      onStderr: (text) => context.console.stderr.write(text),
    });
    if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
    return verdict(checkProcess(step.expect, outcome));
  },
  script(step) {
    const body = [
      "set +euo pipefail",
      ...Object.entries(step.env ?? {}).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
      substitute(step.script, SCRIPT_PLACEHOLDERS).replace(/\n+$/, ""),
    ];
    return [...captured(`(\n${body.join("\n")}\n)`), ...processChecks(step.expect)];
  },
  checkRecorded: (step, recorded) => checkProcess(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
});
