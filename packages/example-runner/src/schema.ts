import { unpinnedReason } from "@bct/dockerfile";
import { z } from "zod";
import { checkText } from "./expectations.ts";
import { nonEmpty } from "./fields.ts";
import { outputMatchers, ownImages, type Step, stepSchema } from "./steps/index.ts";

export { unpinnedReason } from "@bct/dockerfile";
export {
  PLACEHOLDER,
  type ProcessExpectation,
  processExpectationSchema,
  type TextMatcher,
  textMatcherSchema,
} from "./fields.ts";
export { type Step, type StepKindName as StepKind, type StepOf, stepSchema } from "./steps/index.ts";

/** Deck sections, in deck order. */
export const SECTIONS = [
  "first-steps",
  "run-options",
  "networking",
  "volumes",
  "building-images",
  "sharing-images",
  "multi-arch",
  "compose",
  "security",
] as const;
export const sectionSchema = z.enum(SECTIONS).describe("The deck section this example belongs to");
export type Section = z.infer<typeof sectionSchema>;

/**
 * A sample shown on a slide must be output the step would accept: the step has to state something about
 * its output, and the sample must satisfy every matcher of it.
 */
export function sampleOutputProblems(step: Step): string[] {
  if (step.sampleOutput === undefined) return [];
  const matchers = outputMatchers(step);
  if (matchers.length === 0)
    return [
      `a ${step.kind} step with a sampleOutput needs an expectation on its output, so that the slide shows what the example accepts`,
    ];
  return matchers.flatMap((matcher) => checkText("sampleOutput", step.sampleOutput!, matcher));
}

/** Host capabilities an example needs beyond a Docker Engine, checked before its first step. */
export const REQUIREMENTS = ["buildx-multiarch", "qemu-binfmt", "local-registry"] as const;
export const requirementSchema = z
  .enum(REQUIREMENTS)
  .describe(
    "buildx-multiarch: a buildx builder for linux/amd64, linux/arm64, linux/arm/v7; qemu-binfmt: qemu-aarch64 and qemu-arm binfmt entries; local-registry: a registry on localhost:5000",
  );
export type Requirement = z.infer<typeof requirementSchema>;

export const manifestSchema = z
  .object({
    title: nonEmpty.describe("The example's title, as on its slide"),
    section: sectionSchema,
    order: z.number().int().min(0).describe("Position within the section"),
    description: nonEmpty
      .refine((text) => !text.includes("\n"), "one line")
      .describe("One line: what the example shows"),
    steps: z.array(stepSchema).min(1, "an example has at least one step").describe("The steps, in order"),
    requires: z
      .array(requirementSchema)
      .optional()
      .describe(
        "Checked before the first step: when one is missing the runner stops and prints the exact fix",
      ),
    hostPorts: z
      .array(z.number().int().min(1).max(65535))
      .optional()
      .describe(
        "Host ports the example binds without publishing them (--network host); checked free before the first step like published ones",
      ),
  })
  .strict()
  .superRefine((manifest, context) => {
    const own = ownImages(manifest.steps);
    manifest.steps.forEach((step, index) => {
      for (const problem of sampleOutputProblems(step))
        context.addIssue({ code: "custom", path: ["steps", index, "sampleOutput"], message: problem });
      if (step.kind !== "run" && step.kind !== "pull") return;
      if (own.has(step.image)) return;
      const problem = unpinnedReason(step.image);
      if (problem) context.addIssue({ code: "custom", path: ["steps", index, "image"], message: problem });
    });
  })
  .describe("examples/<name>/example.yaml");
export type Manifest = z.infer<typeof manifestSchema>;
