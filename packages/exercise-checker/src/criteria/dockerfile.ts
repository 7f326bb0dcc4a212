import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile } from "@bct/dockerfile";
import { buildkitAdvice } from "../dockerfile/buildkit-advice.ts";
import { lintDockerfile } from "../dockerfile/lint.ts";
import type { CriterionRunner } from "./context.ts";

export const checkDockerfile: CriterionRunner<"dockerfile"> = async (criterion, context) => {
  const path = join(context.dir, criterion.file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    return { status: "fail", message: `There is no ${criterion.file} in ${context.dir}.`, measured: null };
  }
  const result = parseDockerfile(readFileSync(path, "utf8"));
  if (!result.ok) {
    const lines = result.problems.map(
      (problem) => `${criterion.file} line ${problem.line}: ${problem.message}`,
    );
    return {
      status: "fail",
      message: lines.join("\n"),
      measured: `${result.problems.length} syntax problem${result.problems.length === 1 ? "" : "s"}`,
      hint: `Fix ${result.problems.length === 1 ? "that line" : "those lines"}; the Dockerfile reference lists every instruction: https://docs.docker.com/reference/dockerfile/`,
    };
  }
  context.dockerfile = result.dockerfile;
  // BuildKit's own checks first (what the attendee's docker build warns about), then the course's advice.
  // A check that cannot run to the end (an unknown base image) leaves the reason to the build.
  const checks = await context.engine.images.check({ context: context.dir, dockerfile: criterion.file });
  context.advice = [
    ...buildkitAdvice(checks?.warnings ?? [], result.dockerfile),
    ...lintDockerfile(result.dockerfile, readdirSync(context.dir)),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const { stages, instructions } = result.dockerfile;
  return {
    status: "pass",
    message: `${instructions.length} instructions in ${stages.length} stage${stages.length === 1 ? "" : "s"}, final stage FROM ${stages.at(-1)!.base}`,
    measured: instructions.length,
  };
};
