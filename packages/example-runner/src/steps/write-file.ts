import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { relativePath, stepBase } from "../fields.ts";
import { quoteArgument } from "../placeholders.ts";
import { workdirFile } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";
import { workdirPath } from "./workdir-path.ts";

export const writeFileStep = defineStepKind({
  schema: z
    .object({
      kind: z.literal("write-file").describe("Step kind"),
      ...stepBase,
      path: relativePath.describe("File in the work dir ({{workdir}}), relative"),
      content: z.string().describe("What to write"),
    })
    .strict()
    .describe("Write a file on the host, in the per-run work dir"),
  command(step, values) {
    const target = workdirPath(step.path, values);
    if (!step.content.endsWith("\n"))
      return `printf '%s' ${quoteArgument(step.content, { workdir: "", example: "" })} > ${target}`;
    let delimiter = "EOF";
    while (step.content.split("\n").includes(delimiter)) delimiter += "_";
    return `cat > ${target} <<'${delimiter}'\n${step.content}${delimiter}`;
  },
  async execute(step, context) {
    const path = join(context.workdir, step.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, step.content);
    return ok();
  },
  script: (step, command) => [`mkdir -p "$(dirname ${workdirFile(step.path)})"`, command],
});
