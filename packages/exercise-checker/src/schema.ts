import { z } from "zod";

const diagnosis = z
  .object({
    when: z
      .string()
      .describe(
        "Regular expression matched against the failure message and container log (case-insensitive)",
      ),
    hint: z.string().min(1).describe("The hint to show instead of the criterion's own when `when` matches"),
  })
  .strict();

const criterionBase = {
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .describe("Stable id, used in --json output and tests"),
  title: z.string().min(1).describe("One line shown next to ✓ or ✗"),
  hint: z.string().min(1).describe("What to do when the criterion is not met"),
  diagnoses: z
    .array(diagnosis)
    .default([])
    .describe("More specific hints for recognisable failures, first match wins"),
};

export const criterionSchema = z.discriminatedUnion("kind", [
  z
    .object({
      ...criterionBase,
      kind: z
        .literal("dockerfile")
        .describe("A Dockerfile exists in the folder and parses; lint advice is shown"),
      file: z.string().default("Dockerfile").describe("File name of the Dockerfile in the checked folder"),
    })
    .strict(),
  z
    .object({
      ...criterionBase,
      kind: z.literal("builds").describe("The engine builds the Dockerfile"),
      timeoutSeconds: z
        .number()
        .int()
        .positive()
        .default(300)
        .describe("The build is stopped after this long"),
    })
    .strict(),
  z
    .object({
      ...criterionBase,
      kind: z.literal("image-size").describe("The built image is small enough"),
      maxMegabytes: z.number().positive().describe("Largest size that passes, in MB (10^6 bytes)"),
      goldMegabytes: z.number().positive().describe("A size at or below this earns the gold note"),
      largestLayers: z
        .number()
        .int()
        .positive()
        .default(3)
        .describe("How many of the largest layers to show"),
    })
    .strict(),
  z
    .object({
      ...criterionBase,
      kind: z.literal("listens").describe("A container of the image answers HTTP on the app port"),
      withinSeconds: z.number().positive().describe("How long the container gets to answer"),
    })
    .strict(),
  z
    .object({
      ...criterionBase,
      kind: z.literal("serves-input").describe("The answer is the content of the mounted input file"),
    })
    .strict(),
  z
    .object({
      ...criterionBase,
      kind: z
        .literal("follows-edits")
        .describe("After the host file is edited in place, the new content is served"),
      withinSeconds: z.number().positive().describe("How long the new content may take to appear"),
    })
    .strict(),
  z
    .object({
      ...criterionBase,
      kind: z
        .literal("attendee-container")
        .describe("The attendee's own running container: port, bind mount, served content"),
    })
    .strict(),
]);

export type Criterion = z.infer<typeof criterionSchema>;
export type CriterionKind = Criterion["kind"];

export const exerciseSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .describe("Folder name under exercise/"),
    title: z.string().min(1).describe("Shown at the top of the report"),
    image: z.string().min(1).describe("The image name the README asks attendees to build (docker build -t)"),
    app: z
      .object({
        port: z.number().int().min(1).max(65535).describe("Port the program listens on inside the container"),
        inputPath: z.string().startsWith("/").describe("Where the input file is mounted in the container"),
        watch: z.array(z.string()).min(1).describe("Files whose change triggers a re-check in --watch mode"),
      })
      .strict(),
    attendee: z
      .object({
        hostPort: z.number().int().min(1).max(65535).describe("Host port the attendee publishes"),
        inputFile: z
          .string()
          .min(1)
          .describe("Host file, relative to the checked folder, the attendee mounts"),
      })
      .strict(),
    limits: z
      .object({
        memoryMegabytes: z.number().int().positive().describe("Memory limit of the checker's container"),
        pids: z.number().int().positive().describe("Process limit of the checker's container"),
      })
      .strict(),
    solution: z
      .string()
      .min(1)
      .describe("Base64-encoded reference Dockerfile, relative to the exercise folder"),
    criteria: z.array(criterionSchema).min(1).describe("Checked in this order"),
  })
  .strict()
  .superRefine((exercise, context) => {
    const seen = new Set<string>();
    exercise.criteria.forEach((criterion, index) => {
      if (seen.has(criterion.id)) {
        context.addIssue({
          code: "custom",
          path: ["criteria", index, "id"],
          message: `duplicate id ${criterion.id}`,
        });
      }
      seen.add(criterion.id);
      for (const [at, item] of criterion.diagnoses.entries()) {
        try {
          new RegExp(item.when, "i");
        } catch (error) {
          context.addIssue({
            code: "custom",
            path: ["criteria", index, "diagnoses", at, "when"],
            message: `not a regular expression: ${(error as Error).message}`,
          });
        }
      }
    });
  });

export type Exercise = z.infer<typeof exerciseSchema>;

export const criterionStatusSchema = z
  .enum(["pass", "fail", "skip", "open"])
  .describe(
    "pass; fail; skip = not checked because an earlier criterion failed; open = nothing to check yet",
  );

export type CriterionStatus = z.infer<typeof criterionStatusSchema>;

export const lintAdviceSchema = z
  .object({
    rule: z
      .string()
      .describe("BuildKit's rule name (JSONArgsRecommended) or the course's own (runs-as-root)"),
    source: z.enum(["buildkit", "course"]).describe("BuildKit's build checks, or the course's own advice"),
    line: z.number().int().positive().nullable().describe("Dockerfile line, when the advice is about one"),
    message: z.string(),
    url: z.string().nullable().describe("The rule's documentation, for BuildKit's rules"),
  })
  .strict();

export const criterionResultSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    status: criterionStatusSchema,
    message: z.string().describe("What was found, in one or a few lines"),
    measured: z
      .union([z.string(), z.number(), z.null()])
      .describe("The measured value: size in bytes, seconds to answer, the served body..."),
    hint: z.string().nullable().describe("What to do next; set unless the status is pass"),
    durationMs: z.number().nonnegative(),
  })
  .strict();

export type CriterionResult = z.infer<typeof criterionResultSchema>;

export const checkReportSchema = z
  .object({
    exercise: z.string(),
    dir: z.string().describe("The folder that was checked"),
    complete: z.boolean().describe("Every criterion passed"),
    passed: z.number().int().nonnegative(),
    total: z.number().int().positive(),
    advice: z.array(lintAdviceSchema).describe("Dockerfile lint findings: advice, never failures"),
    criteria: z.array(criterionResultSchema),
    timings: z
      .record(z.string(), z.number().nonnegative())
      .describe("Milliseconds spent per phase (build, size, probes, attendee)"),
  })
  .strict();

export type CheckReport = z.infer<typeof checkReportSchema>;

/** A ZodError as `path: message` lines. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("\n");
}
