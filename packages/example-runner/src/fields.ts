import { z } from "zod";

/** Placeholders allowed in paths, mount sources and shell scripts. */
export const PLACEHOLDER = { workdir: "{{workdir}}", example: "{{example}}" } as const;

export const nonEmpty = z.string().min(1, "must not be empty");
export const containerName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a container name: letters, digits, _ . - (like docker run --name)")
  .describe("Container name");
export const imageRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/, "an image reference such as alpine:3.24 or localhost:5000/app:1.0")
  .describe("Image reference");

export const resourceName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a name: letters, digits, _ . -")
  .describe("Network or volume name");
export const relativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), {
    message: "a relative path inside the work dir, without '..'",
  });
export const stringList = z.array(z.string());
export const envMap = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"), z.string())
  .describe("Environment variables, NAME: value");
export const timeoutSeconds = z
  .number()
  .positive()
  .max(1800)
  .optional()
  .describe("Give up after this many seconds");
export const sizeText = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(B|kB|MB|GB)$/, "a size such as 800kB, 20MB or 1.5GB (decimal units, like docker)")
  .describe("A size in decimal units, as docker prints it");

const isRegExp = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

/** How a text (stdout, stderr, a file, a body) must look. Equality ignores trailing newlines. */
export const textMatcherSchema = z
  .object({
    equals: z.string().optional().describe("The whole text, trailing newlines ignored"),
    contains: z.union([z.string(), stringList]).optional().describe("Text (or texts) that must appear"),
    matches: z
      .string()
      .refine(isRegExp, "not a valid regular expression")
      .optional()
      .describe(
        "A regular expression the text must match, in the syntax JavaScript and bash's [[ =~ ]] share (no \\d, use [0-9])",
      ),
    notContains: z
      .union([z.string(), stringList])
      .optional()
      .describe("Text (or texts) that must not appear"),
  })
  .strict()
  .refine((matcher) => Object.values(matcher).some((value) => value !== undefined), {
    message: "state at least one of equals, contains, matches, notContains",
  })
  .describe("Expectations on a text");
export type TextMatcher = z.infer<typeof textMatcherSchema>;

export const processExpectationSchema = z
  .object({
    exitCode: z.number().int().min(0).max(255).optional().describe("Expected exit code (default 0)"),
    stdout: textMatcherSchema.optional().describe("Expectations on standard output"),
    stderr: textMatcherSchema.optional().describe("Expectations on standard error"),
    output: textMatcherSchema.optional().describe("Expectations on stdout and stderr together"),
  })
  .strict()
  .describe("What a process must do");
export type ProcessExpectation = z.infer<typeof processExpectationSchema>;

export const stepBase = {
  title: nonEmpty.describe("What this step shows, in a few words (the deck's caption)"),
  sampleOutput: z
    .string()
    .optional()
    .describe("Representative output for the deck when the expectations do not state it exactly"),
};
