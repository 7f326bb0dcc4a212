import { join, posix } from "node:path";
import { BuildError, shellQuote } from "@bct/engine";
import { z } from "zod";
import { checkText, joinOutput } from "../expectations.ts";
import { imageRef, stepBase, textMatcherSchema, timeoutSeconds } from "../fields.ts";
import { argv, matcherLines } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

export const build = defineStepKind({
  schema: z
    .object({
      kind: z.literal("build").describe("Step kind"),
      ...stepBase,
      tag: imageRef.describe("-t: the image name this build produces"),
      context: z.string().default(".").describe("Build context, relative to the example folder"),
      dockerfile: z.string().optional().describe("-f: the Dockerfile, relative to the context"),
      buildArgs: z.record(z.string(), z.string()).optional().describe("--build-arg NAME=value"),
      target: z.string().optional().describe("--target stage"),
      expect: z
        .object({
          outcome: z
            .enum(["success", "failure"])
            .default("success")
            .describe("Whether the build must succeed"),
          output: textMatcherSchema
            .optional()
            .describe("Expectations on the build log (or the error on failure)"),
        })
        .strict()
        .optional()
        .describe("How the build must end"),
      timeoutSeconds,
    })
    .strict()
    .describe("docker build (BuildKit, run as docker buildx build by the engine package)"),
  command(step, values) {
    const parts = ["docker", "build", "-t", step.tag];
    if (step.dockerfile && step.dockerfile !== "Dockerfile")
      parts.push(
        "-f",
        step.context === "."
          ? step.dockerfile
          : posix.normalize(`${step.context.replace(/\/$/, "")}/${step.dockerfile}`),
      );
    for (const [key, value] of Object.entries(step.buildArgs ?? {}))
      parts.push("--build-arg", `${key}=${value}`);
    if (step.target) parts.push("--target", step.target);
    parts.push(step.context);
    return argv(values, ...parts);
  },
  async execute(step, context) {
    const expectFailure = step.expect?.outcome === "failure";
    try {
      const result = await context.engine.images.build({
        context: join(context.example.dir, step.context),
        dockerfile: step.dockerfile,
        tags: [step.tag],
        buildArgs: step.buildArgs,
        target: step.target,
        timeoutMs: (step.timeoutSeconds ?? 600) * 1000,
        onLog: (line) => context.console.stderr.write(`${line}\n`),
      });
      if (expectFailure) return verdict([`the build of ${step.tag} should fail, and succeeded`]);
      return verdict(checkText("build log", result.log, step.expect?.output));
    } catch (error) {
      if (!(error instanceof BuildError) || !expectFailure) throw error;
      context.out.write(`${error.message}\n`);
      return verdict(checkText("build error", `${error.log}\n${error.message}`, step.expect?.output));
    }
  },
  script(step, command) {
    const tag = shellQuote(step.tag);
    if (step.expect?.outcome === "failure")
      return [
        `if ${command} >"$CHECKS/stdout" 2>&1; then remember image ${tag}; cat "$CHECKS/stdout"; echo ${shellQuote(`✗ the build of ${step.tag} should fail`)} >&2; exit 1; fi`,
        'cat "$CHECKS/stdout"',
        ...matcherLines("stdout", step.expect.output),
        "verify",
      ];
    if (!step.expect?.output) return [`remember image ${tag}`, command];
    return [
      `remember image ${tag}`,
      `if ! ${command} >"$CHECKS/stdout" 2>&1; then cat "$CHECKS/stdout" >&2; echo ${shellQuote(`✗ the build of ${step.tag} failed`)} >&2; exit 2; fi`,
      'cat "$CHECKS/stdout" >&2',
      ...matcherLines("stdout", step.expect.output),
      "verify",
    ];
  },
  checkRecorded: (step, recorded) =>
    step.expect?.outcome === "failure"
      ? checkText("build error", joinOutput(recorded.stderr, recorded.stdout), step.expect.output)
      : checkText("build log", recorded.stderr, step.expect?.output),
  outputMatchers: (step) => (step.expect?.output ? [step.expect.output] : []),
  ownImages: (step) => [step.tag],
});
