import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** What a stand-in must behave like: the upstream image's config, each fact with where it comes from. */
const UpstreamFacts = z
  .object({
    sources: z
      .array(z.url())
      .min(1)
      .describe("URLs of the upstream Dockerfile, entrypoint, tag list, at a commit"),
    entrypoint: z.array(z.string()).nullable(),
    cmd: z.array(z.string()).nullable(),
    user: z.string(),
    workdir: z.string(),
    envKeys: z.array(z.string()).describe("names of the environment variables the image sets"),
    exposedPorts: z.array(z.string().regex(/^\d+\/(tcp|udp)$/)),
    stopSignal: z.string().nullable(),
    volumes: z.array(z.string()),
    uncompressedSize: z
      .object({
        bytes: z.number().int().positive(),
        approximate: z.boolean(),
        source: z.string().min(1),
      })
      .strict()
      .optional()
      .describe("the upstream image's size as the sum of its uncompressed layers, linux/amd64"),
  })
  .strict();

const Check = z
  .object({
    title: z.string().min(1),
    command: z
      .array(z.string())
      .optional()
      .describe("arguments after the image; the image's CMD when absent"),
    files: z
      .record(z.string().regex(/^[\w.-]+$/), z.string())
      .optional()
      .describe("files mounted read-only in /work, the working directory of the check"),
    exitCode: z.number().int().optional(),
    stdoutContains: z.string().optional(),
    stdoutLacks: z.string().optional(),
    stdoutMatches: z.string().optional(),
    stdoutEquals: z.string().optional().describe("the whole of stdout, byte for byte"),
    outputContains: z.string().optional().describe("stdout and stderr together"),
    onUpstreamFiles: z
      .object({ stdoutMatches: z.string(), why: z.string().min(1) })
      .strict()
      .optional()
      .describe("what a stand-in made of older upstream files prints instead of stdoutMatches"),
    upstreamFilesOnly: z
      .string()
      .min(1)
      .optional()
      .describe("why a model (a stand-in built without ../shared/upstream) cannot pass this check"),
    http: z
      .object({
        port: z.number().int().min(1).max(65535),
        path: z.string().startsWith("/"),
        status: z.number().int(),
        bodyContains: z.string().optional(),
        stopExitCode: z
          .number()
          .int()
          .optional()
          .describe("the exit code after docker stop, once it answered: its stop signal is handled"),
      })
      .strict()
      .optional()
      .describe("start the image detached and ask it over HTTP on this container port"),
  })
  .strict();

const TagEvidence = z
  .object({
    source: z.url().describe("the upstream file that lists the tag, at a commit"),
    lines: z.array(z.string().min(1)).min(1).describe("its lines that name the tag, verbatim"),
    note: z.string().optional().describe("why this tag, where the course chose another than it had"),
  })
  .strict();

const StandIn = z
  .object({
    ref: z.string().min(1),
    tagEvidence: TagEvidence.describe("where upstream says the pinned tag exists"),
    recipe: z.string().min(1),
    platforms: z.array(z.string()).min(1),
    upstreamFiles: z
      .string()
      .regex(/^[\w.-]+$/)
      .optional()
      .describe("the folder of ../shared/upstream whose files the stand-in is made of"),
    buildArgs: z.record(z.string(), z.string()),
    provides: z.string().min(1),
    emulates: z.string().min(1),
    upstream: UpstreamFacts,
    lacks: z
      .object({ envKeys: z.array(z.string()), why: z.string().min(1) })
      .strict()
      .optional()
      .describe("upstream facts the stand-in knowingly does not have"),
    checks: z.array(Check),
  })
  .strict();

export type StandIn = z.infer<typeof StandIn>;
/** What a stand-in is made of (its bct.standin.content label): the upstream image's own files, or a model of them. */
export type StandInContent = "upstream-files" | "model";
export type StandInCheck = z.infer<typeof Check>;

export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
export const STANDINS_FILE = join(REPO_ROOT, "standins", "images.json");

/** standins/images.json, validated; errors name the bad field as `path: message`. */
export function loadStandIns(file = STANDINS_FILE): StandIn[] {
  const parsed = z.array(StandIn).safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file}:\n${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n")}`,
    );
  return parsed.data;
}

/** How close a size-like stand-in must stay to the upstream image's uncompressed size. */
export const SIZE_TOLERANCE = { min: 0.5, max: 2 } as const;

/** Whether one of the evidence lines names the tag as a whole word ("Tags: 3.24.1, 3.24, 3" names 3.24, not 3.2). */
export function evidenceNamesTag(ref: string, lines: readonly string[]): boolean {
  const tag = ref.slice(ref.lastIndexOf(":") + 1).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = new RegExp(`(^|[\\s,\\[])${tag}([\\s,\\]]|$)`);
  return lines.some((line) => word.test(line));
}
