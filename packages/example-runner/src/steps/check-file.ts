import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { checkText } from "../expectations.ts";
import { relativePath, stepBase, textMatcherSchema } from "../fields.ts";
import { matcherLines, workdirFile } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";
import { workdirPath } from "./workdir-path.ts";

export const checkFile = defineStepKind({
  schema: z
    .object({
      kind: z.literal("check-file").describe("Step kind"),
      ...stepBase,
      path: relativePath.describe("File in the work dir ({{workdir}}), relative"),
      expect: z
        .object({
          exists: z.boolean().default(true).describe("Whether the file must exist"),
          content: textMatcherSchema.optional().describe("Expectations on the file's content"),
        })
        .strict()
        .describe("Whether the file exists and what it holds"),
    })
    .strict()
    .describe("Read a file on the host, in the per-run work dir"),
  command: (step, values) => `cat ${workdirPath(step.path, values)}`,
  async execute(step, context) {
    const content = await readFile(join(context.workdir, step.path), "utf8").catch(() => undefined);
    if (content === undefined) {
      context.out.write(`cat: ${step.path}: No such file or directory\n`);
      return verdict(step.expect.exists ? [`${step.path} should exist in the work dir`] : []);
    }
    context.out.write(content.endsWith("\n") || content === "" ? content : `${content}\n`);
    if (!step.expect.exists) return verdict([`${step.path} should not exist`]);
    return verdict(checkText(step.path, content, step.expect.content));
  },
  script(step, command) {
    const file = workdirFile(step.path);
    if (!step.expect.exists)
      return [
        `if [[ -e ${file} ]]; then echo ${shellQuote(`✗ ${step.path} should not exist`)} >&2; exit 1; fi`,
      ];
    return [
      `if [[ ! -f ${file} ]]; then echo ${shellQuote(`✗ ${step.path} should exist`)} >&2; exit 1; fi`,
      `cp ${file} "$CHECKS/stdout"`,
      command,
      ...matcherLines("stdout", step.expect.content),
      "verify",
    ];
  },
  checkRecorded: (step, recorded) =>
    step.expect.exists
      ? checkText(step.path, recorded.stdout, step.expect.content)
      : recorded.stdout.includes("No such file")
        ? []
        : [`${step.path} should not exist`],
  outputMatchers: (step) => (step.expect.content ? [step.expect.content] : []),
});
