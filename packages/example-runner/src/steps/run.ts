import { dockerRunArgv, shellQuote } from "@bct/engine";
import { z } from "zod";
import { toContainerSpec } from "../container-spec.ts";
import { checkProcess } from "../expectations.ts";
import {
  containerName,
  envMap,
  imageRef,
  PLACEHOLDER,
  processExpectationSchema,
  stepBase,
  stringList,
  timeoutSeconds,
} from "../fields.ts";
import { joinArguments } from "../placeholders.ts";
import { processOutputMatchers } from "./output-matchers.ts";
import { pullImage } from "./pull-image.ts";
import { captured, processChecks } from "./script-lines.ts";
import { defineStepKind, ok, verdict } from "./step-kind.ts";

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

export const runSchema = z
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
export type RunStep = z.output<typeof runSchema>;

export const run = defineStepKind({
  schema: runSchema,
  command: (step, values) =>
    joinArguments(
      dockerRunArgv(toContainerSpec(step, PLACEHOLDER), { detach: step.detach, remove: step.rm }),
      values,
    ),
  async execute(step, context) {
    if (!context.ownImages.has(step.image)) await pullImage(step.image, context, step.platform);
    const spec = toContainerSpec(step, { workdir: context.workdir, example: context.example.dir });
    if (step.detach) {
      const handle = await context.engine.containers.start(spec);
      context.out.write(`${handle.id}\n`);
      return ok();
    }
    const outcome = await context.engine.containers.run(
      spec,
      { onStdout: (text) => context.out.write(text), onStderr: (text) => context.console.stderr.write(text) },
      (step.timeoutSeconds ?? 300) * 1000,
      { keep: !step.rm },
    );
    if (outcome.exitCode !== 0) context.console.info(`exit code ${outcome.exitCode}`);
    return verdict(checkProcess(step.expect, outcome));
  },
  script(step, command) {
    const lines = step.name ? [`remember container ${shellQuote(step.name)}`] : [];
    if (step.detach) return [...lines, command];
    return [...lines, ...captured(command), ...processChecks(step.expect)];
  },
  checkRecorded: (step, recorded) =>
    step.detach
      ? /^[0-9a-f]{64}\n?$/.test(recorded.stdout)
        ? []
        : ["a detached run prints the container's full id"]
      : checkProcess(step.expect, recorded),
  outputMatchers: (step) => processOutputMatchers(step.expect),
  creates: (step) => (step.name ? [{ type: "container", name: step.name }] : []),
});
