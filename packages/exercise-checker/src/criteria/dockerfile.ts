import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile } from "@bct/dockerfile";
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
  context.advice = lintDockerfile(result.dockerfile);
  const { stages, instructions } = result.dockerfile;
  return {
    status: "pass",
    message: `${instructions.length} instructions in ${stages.length} stage${stages.length === 1 ? "" : "s"}, final stage FROM ${stages.at(-1)!.base}`,
    measured: instructions.length,
  };
};
