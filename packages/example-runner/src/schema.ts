import { z } from "zod";

/** Deck sections, in deck order. */
export const SECTIONS = [
  "first-steps",
  "run-options",
  "networking",
  "volumes",
  "building-images",
  "sharing-images",
  "multi-arch",
  "security",
] as const;
export const sectionSchema = z.enum(SECTIONS).describe("The deck section this example belongs to");
export type Section = z.infer<typeof sectionSchema>;

/** Placeholders allowed in paths, mount sources and shell scripts. */
export const PLACEHOLDER = { workdir: "{{workdir}}", example: "{{example}}" } as const;

const nonEmpty = z.string().min(1, "must not be empty");
const containerName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a container name: letters, digits, _ . - (like docker run --name)")
  .describe("Container name");
const imageRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/, "an image reference such as alpine:3.24 or localhost:5000/app:1.0")
  .describe("Image reference");

/** Why an upstream image reference is not pinned, or undefined when it is. */
export function unpinnedReason(ref: string): string | undefined {
  if (ref.includes("@")) return undefined;
  const tag = /:([^/:]+)$/.exec(ref)?.[1];
  if (!tag) return `pin a tag (${ref}:<version>): an unpinned image changes under the course`;
  if (tag === "latest" && !ref.startsWith("hello-world:"))
    return `pin a version, not latest (only hello-world publishes no version tags)`;
  return undefined;
}
const resourceName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a name: letters, digits, _ . -")
  .describe("Network or volume name");
const relativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), {
    message: "a relative path inside the work dir, without '..'",
  });
const stringList = z.array(z.string());
const envMap = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"), z.string())
  .describe("Environment variables, NAME: value");
const timeoutSeconds = z.number().positive().max(1800).optional().describe("Give up after this many seconds");
const sizeText = z
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

const stepBase = {
  title: nonEmpty.describe("What this step shows, in a few words (the deck's caption)"),
  sampleOutput: z
    .string()
    .optional()
    .describe("Representative output for the deck when the expectations do not state it exactly"),
};

const portSchema = z
  .object({
    host: z.number().int().min(1).max(65535).describe("Host port"),
    container: z.number().int().min(1).max(65535).describe("Container port"),
    hostIp: z.string().optional().describe("Host address to bind, e.g. 127.0.0.1"),
  })
  .strict()
  .describe("A published port, like -p host:container");

const mountSchema = z
  .object({
    type: z.enum(["bind", "volume", "tmpfs"]).describe("bind: a host path; volume: a named volume; tmpfs"),
    source: z
      .string()
      .optional()
      .describe("bind: {{workdir}}/... or {{example}}/...; volume: the volume name; tmpfs: none"),
    target: z.string().startsWith("/", "an absolute path in the container").describe("Path in the container"),
    readOnly: z.boolean().optional().describe("Mount read-only (the default unless writing is the point)"),
  })
  .strict()
  .superRefine((mount, context) => {
    if (mount.type === "tmpfs") {
      if (mount.source !== undefined)
        context.addIssue({ code: "custom", path: ["source"], message: "a tmpfs mount has no source" });
      return;
    }
    if (!mount.source) {
      context.addIssue({ code: "custom", path: ["source"], message: `a ${mount.type} mount needs a source` });
      return;
    }
    if (
      mount.type === "bind" &&
      !mount.source.startsWith(PLACEHOLDER.workdir) &&
      !mount.source.startsWith(PLACEHOLDER.example)
    ) {
      context.addIssue({
        code: "custom",
        path: ["source"],
        message: "a bind mount source starts with {{workdir}} or {{example}} (never a hard-coded host path)",
      });
    }
  })
  .describe("A mount, like -v source:target[:ro] or --tmpfs target");

const limitsSchema = z
  .object({
    memory: z
      .string()
      .regex(/^\d+[bkmg]$/, "a docker memory size such as 64m or 1g")
      .optional()
      .describe("--memory"),
    cpus: z.number().positive().optional().describe("--cpus"),
    pids: z.number().int().positive().optional().describe("--pids-limit"),
  })
  .strict()
  .describe("Resource limits");

const pullStep = z
  .object({
    kind: z.literal("pull").describe("Step kind"),
    ...stepBase,
    image: imageRef,
    platform: z.string().optional().describe("--platform, e.g. linux/arm64"),
  })
  .strict()
  .describe("docker pull");

const buildStep = z
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
        outcome: z.enum(["success", "failure"]).default("success").describe("Whether the build must succeed"),
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
  .describe("docker build (BuildKit, run as docker buildx build by the engine package)");

const runStep = z
  .object({
    kind: z.literal("run").describe("Step kind"),
    ...stepBase,
    image: imageRef,
    name: containerName.optional().describe("--name; required unless rm is true"),
    detach: z.boolean().default(false).describe("-d: start and return at once"),
    rm: z.boolean().default(false).describe("--rm: remove the container when it exits"),
    command: stringList.optional().describe("Arguments after the image (replace CMD)"),
    entrypoint: stringList.optional().describe("--entrypoint (first item) and its leading arguments"),
    env: envMap.optional(),
    ports: z.array(portSchema).optional().describe("-p host:container"),
    mounts: z.array(mountSchema).optional().describe("-v / --mount / --tmpfs"),
    network: z.string().optional().describe("--network: bridge, host, none or a network of this example"),
    networkAliases: stringList.optional().describe("--network-alias"),
    user: z.string().optional().describe("--user"),
    workdir: z.string().optional().describe("--workdir"),
    readOnly: z.boolean().optional().describe("--read-only root filesystem"),
    capDrop: stringList.optional().describe("--cap-drop"),
    capAdd: stringList.optional().describe("--cap-add"),
    noNewPrivileges: z.boolean().optional().describe("--security-opt no-new-privileges"),
    limits: limitsSchema.optional(),
    platform: z.string().optional().describe("--platform"),
    expect: processExpectationSchema
      .optional()
      .describe("Checked when the container exits (not with detach)"),
    timeoutSeconds,
  })
  .strict()
  .superRefine((step, context) => {
    if (!step.name && !step.rm)
      context.addIssue({
        code: "custom",
        path: ["name"],
        message: "give the container a name, or set rm: true (an anonymous container would be left behind)",
      });
    if (step.detach && step.expect)
      context.addIssue({
        code: "custom",
        path: ["expect"],
        message: "a detached run returns at once: check it with a logs, ps, exec or http step",
      });
  })
  .describe("docker run");

const containerRefStep = <K extends string>(kind: K, description: string) =>
  z
    .object({
      kind: z.literal(kind).describe("Step kind"),
      ...stepBase,
      container: containerName.describe("The container, by name"),
    })
    .strict()
    .describe(description);

const stopStep = containerRefStep("stop", "docker stop");
const startStep = containerRefStep("start", "docker start");
const killStep = z
  .object({
    kind: z.literal("kill").describe("Step kind"),
    ...stepBase,
    container: containerName,
    signal: z
      .string()
      .regex(/^SIG[A-Z0-9]+$/, "a signal name such as SIGTERM")
      .optional()
      .describe("--signal (default SIGKILL)"),
  })
  .strict()
  .describe("docker kill");
const rmStep = z
  .object({
    kind: z.literal("rm").describe("Step kind"),
    ...stepBase,
    container: containerName,
    force: z.boolean().optional().describe("-f: remove even if running"),
  })
  .strict()
  .describe("docker rm");

const psStep = z
  .object({
    kind: z.literal("ps").describe("Step kind"),
    ...stepBase,
    all: z.boolean().default(false).describe("-a: include stopped containers"),
    expect: z
      .object({
        container: containerName.describe("The container whose state is checked"),
        state: z.enum(["running", "exited", "absent"]).describe("Its expected state"),
      })
      .strict()
      .describe("The state one container must be in"),
  })
  .strict()
  .describe("docker ps");

const execStep = z
  .object({
    kind: z.literal("exec").describe("Step kind"),
    ...stepBase,
    container: containerName,
    command: stringList.min(1, "the command to run in the container"),
    user: z.string().optional().describe("--user"),
    env: envMap.optional(),
    workdir: z.string().optional().describe("--workdir"),
    expect: processExpectationSchema.optional(),
  })
  .strict()
  .describe("docker exec");

const logsStep = z
  .object({
    kind: z.literal("logs").describe("Step kind"),
    ...stepBase,
    container: containerName,
    expect: z
      .object({
        stdout: textMatcherSchema.optional().describe("Expectations on what the container wrote to stdout"),
        stderr: textMatcherSchema.optional().describe("Expectations on what it wrote to stderr"),
        output: textMatcherSchema.optional().describe("Expectations on both together"),
      })
      .strict()
      .optional()
      .describe("Expectations on the container's logs"),
    timeoutSeconds: timeoutSeconds.describe(
      "Keep reading the logs until they match, up to this (default 10)",
    ),
  })
  .strict()
  .describe("docker logs");

const httpStep = z
  .object({
    kind: z.literal("http").describe("Step kind"),
    ...stepBase,
    url: z.url().startsWith("http", "an http(s) URL").describe("The URL to GET"),
    expect: z
      .object({
        status: z.number().int().min(100).max(599).default(200).describe("Expected HTTP status"),
        body: textMatcherSchema.optional().describe("Expectations on the response body"),
      })
      .strict()
      .default({ status: 200 })
      .describe("The answer expected"),
    timeoutSeconds: timeoutSeconds.describe("Wait until it answers, up to this (default 30)"),
  })
  .strict()
  .describe("curl: waits until the URL answers, then checks status and body");

const writeFileStep = z
  .object({
    kind: z.literal("write-file").describe("Step kind"),
    ...stepBase,
    path: relativePath.describe("File in the work dir ({{workdir}}), relative"),
    content: z.string().describe("What to write"),
  })
  .strict()
  .describe("Write a file on the host, in the per-run work dir");

const checkFileStep = z
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
  .describe("Read a file on the host, in the per-run work dir");

const inspectImageStep = z
  .object({
    kind: z.literal("inspect-image").describe("Step kind"),
    ...stepBase,
    image: imageRef,
    expect: z
      .object({
        minSize: sizeText.optional(),
        maxSize: sizeText.optional(),
        platform: z.string().optional().describe("os/arch[/variant], e.g. linux/arm64"),
        user: z.string().optional().describe("Config.User, e.g. 1000 or app"),
        relativeTo: z
          .object({
            image: imageRef.describe("The image to compare with"),
            maxRatio: z.number().positive().optional().describe("size <= maxRatio × its size"),
            minRatio: z.number().positive().optional().describe("size >= minRatio × its size"),
          })
          .strict()
          .optional()
          .describe("Size relative to another image (robust against stand-ins)"),
      })
      .strict()
      .describe("What the image must be like"),
  })
  .strict()
  .describe("docker image inspect; absolute size bounds are skipped on stand-in images");

const networkCreateStep = z
  .object({
    kind: z.literal("network-create").describe("Step kind"),
    ...stepBase,
    name: resourceName,
    driver: z.string().optional().describe("--driver (default bridge)"),
  })
  .strict()
  .describe("docker network create");
const networkRmStep = z
  .object({ kind: z.literal("network-rm").describe("Step kind"), ...stepBase, name: resourceName })
  .strict()
  .describe("docker network rm");
const volumeCreateStep = z
  .object({ kind: z.literal("volume-create").describe("Step kind"), ...stepBase, name: resourceName })
  .strict()
  .describe("docker volume create");
const volumeRmStep = z
  .object({ kind: z.literal("volume-rm").describe("Step kind"), ...stepBase, name: resourceName })
  .strict()
  .describe("docker volume rm");
const volumeInspectStep = z
  .object({
    kind: z.literal("volume-inspect").describe("Step kind"),
    ...stepBase,
    name: resourceName,
    expect: z
      .object({ driver: z.string().optional().describe("Expected driver, e.g. local") })
      .strict()
      .optional()
      .describe("What the volume must be like"),
  })
  .strict()
  .describe("docker volume inspect");

const tagStep = z
  .object({
    kind: z.literal("tag").describe("Step kind"),
    ...stepBase,
    source: imageRef,
    target: imageRef,
  })
  .strict()
  .describe("docker tag");
const pushStep = z
  .object({ kind: z.literal("push").describe("Step kind"), ...stepBase, image: imageRef })
  .strict()
  .describe("docker push");
const rmiStep = z
  .object({ kind: z.literal("rmi").describe("Step kind"), ...stepBase, image: imageRef })
  .strict()
  .describe("docker rmi (only images this run built or tagged)");

const shellStep = z
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
  .describe("bash, for what has no Engine API (make, buildx, date arithmetic)");

export const stepSchema = z
  .discriminatedUnion("kind", [
    pullStep,
    buildStep,
    runStep,
    stopStep,
    startStep,
    killStep,
    rmStep,
    psStep,
    execStep,
    logsStep,
    httpStep,
    writeFileStep,
    checkFileStep,
    inspectImageStep,
    networkCreateStep,
    networkRmStep,
    volumeCreateStep,
    volumeRmStep,
    volumeInspectStep,
    tagStep,
    pushStep,
    rmiStep,
    shellStep,
  ])
  .describe("One step of an example");
export type Step = z.infer<typeof stepSchema>;
export type StepKind = Step["kind"];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

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
    const ownImages = new Set(
      manifest.steps.flatMap((step) =>
        step.kind === "build" ? [step.tag] : step.kind === "tag" ? [step.target] : [],
      ),
    );
    manifest.steps.forEach((step, index) => {
      if (step.kind !== "run" && step.kind !== "pull") return;
      if (ownImages.has(step.image)) return;
      const problem = unpinnedReason(step.image);
      if (problem) context.addIssue({ code: "custom", path: ["steps", index, "image"], message: problem });
    });
  })
  .describe("examples/<name>/example.yaml");
export type Manifest = z.infer<typeof manifestSchema>;
