import { shellQuote } from "@bct/engine";
import { z } from "zod";
import { resourceName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok } from "./step-kind.ts";

export const networkCreate = defineStepKind({
  schema: z
    .object({
      kind: z.literal("network-create").describe("Step kind"),
      ...stepBase,
      name: resourceName,
      driver: z.string().optional().describe("--driver (default bridge)"),
    })
    .strict()
    .describe("docker network create"),
  command: (step, values) =>
    argv(values, "docker", "network", "create", ...(step.driver ? ["--driver", step.driver] : []), step.name),
  async execute(step, context) {
    const network = await context.engine.networks.create(step.name, step.driver);
    context.out.write(`${network.id}\n`);
    return ok();
  },
  script: (step, command) => [`remember network ${shellQuote(step.name)}`, command],
  // docker network create prints the new network's ID.
  outputMatchers: () => [{ matches: "^[0-9a-f]{64}$" }],
  creates: (step) => [{ type: "network", name: step.name }],
});
