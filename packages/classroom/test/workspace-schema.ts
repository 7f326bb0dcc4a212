import { z } from "zod";

/** The keys of the workspace configurations this repository uses, so a typo or a wrong value fails a test. */

const command = z.string().min(1, "must not be empty");

export const gitpodTaskSchema = z
  .object({
    name: z.string().min(1).describe("Shown as the terminal's title"),
    before: command.optional().describe("Runs before init and command, at every start"),
    init: command.optional().describe("Runs at prebuild time (or once, without prebuilds)"),
    command: command.optional().describe("Runs at every workspace start"),
    openMode: z
      .enum(["tab-after", "tab-before", "split-right", "split-left"])
      .optional()
      .describe("Where the terminal opens"),
  })
  .strict()
  .refine((task) => task.before ?? task.init ?? task.command, {
    message: "a task runs at least one of before, init, command",
  })
  .describe("A Gitpod task");

export const gitpodPortSchema = z
  .object({
    port: z
      .union([
        z.number().int().min(1).max(65535),
        z.string().regex(/^\d+-\d+$/, "a port or a range such as 3000-3999"),
      ])
      .describe("The port (or range) in the workspace"),
    name: z.string().min(1).optional().describe("Label in the ports view"),
    description: z.string().optional().describe("What listens there"),
    onOpen: z
      .enum(["open-browser", "open-preview", "notify", "ignore", "ignore-completely"])
      .optional()
      .describe("What Gitpod does when the port opens"),
    visibility: z.enum(["private", "public"]).optional().describe("Who can reach the forwarded URL"),
    protocol: z.enum(["http", "https"]).optional(),
  })
  .strict()
  .describe("A Gitpod port");

export const gitpodConfigSchema = z
  .object({
    image: z
      .union([
        z.string().min(1).describe("An image reference"),
        z
          .object({ file: z.string().min(1), context: z.string().optional() })
          .strict()
          .describe("A Dockerfile"),
      ])
      .describe("The workspace image"),
    tasks: z.array(gitpodTaskSchema).min(1).describe("Terminals started with the workspace"),
    ports: z.array(gitpodPortSchema).optional().describe("Forwarded ports"),
    vscode: z
      .object({ extensions: z.array(z.string().regex(/^[\w-]+\.[\w.-]+$/, "publisher.extension")).min(1) })
      .strict()
      .optional()
      .describe("Editor extensions"),
  })
  .strict()
  .describe(".gitpod.yml (Gitpod Classic)");
export type GitpodConfig = z.infer<typeof gitpodConfigSchema>;

const onAutoForward = z.enum(["notify", "openBrowser", "openBrowserOnce", "openPreview", "silent", "ignore"]);

export const devcontainerSchema = z
  .object({
    name: z.string().min(1),
    build: z.object({ dockerfile: z.string().min(1), context: z.string().optional() }).strict(),
    features: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.boolean()]))),
    containerEnv: z.record(z.string(), z.string()).optional(),
    forwardPorts: z.array(z.number().int().min(1).max(65535)).optional(),
    portsAttributes: z
      .record(
        z.string().regex(/^\d+$/, "a port number"),
        z.object({ label: z.string(), onAutoForward }).strict(),
      )
      .optional(),
    postCreateCommand: command,
    postStartCommand: command,
    customizations: z
      .object({
        vscode: z
          .object({ extensions: z.array(z.string()), settings: z.record(z.string(), z.unknown()).optional() })
          .strict(),
      })
      .strict(),
    remoteUser: z.string().optional(),
  })
  .strict()
  .describe(".devcontainer/devcontainer.json (the keys this repository uses)");
export type Devcontainer = z.infer<typeof devcontainerSchema>;

const trigger = z.enum(["manual", "postDevcontainerStart", "postEnvironmentStart", "prebuild"]);

export const automationsSchema = z
  .object({
    tasks: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, "a task id"),
        z
          .object({
            name: z.string().min(1),
            description: z.string().optional(),
            triggeredBy: z.array(trigger).min(1),
            dependsOn: z.array(z.string()).optional(),
            command,
          })
          .strict(),
      )
      .optional(),
    services: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, "a service id"),
        z
          .object({
            name: z.string().min(1),
            description: z.string().optional(),
            triggeredBy: z.array(trigger.exclude(["prebuild"])).min(1),
            commands: z
              .object({ start: command, ready: command.optional(), stop: command.optional() })
              .strict(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .superRefine((file, context) => {
    for (const [id, task] of Object.entries(file.tasks ?? {})) {
      for (const dependency of task.dependsOn ?? []) {
        if (!file.tasks?.[dependency]) {
          context.addIssue({
            code: "custom",
            path: ["tasks", id, "dependsOn"],
            message: `no task named ${dependency}`,
          });
        }
      }
    }
  })
  .describe(".ona/automations.yaml (Ona tasks and services)");
export type Automations = z.infer<typeof automationsSchema>;

/** A zod error as `path: message` lines. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
}
