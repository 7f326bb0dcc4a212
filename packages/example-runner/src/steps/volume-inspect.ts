import { KitError, shellQuote } from "@bct/engine";
import { z } from "zod";
import { resourceName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, verdict } from "./step-kind.ts";

export const volumeInspect = defineStepKind({
  schema: z
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
    .describe("docker volume inspect"),
  command: (step, values) => argv(values, "docker", "volume", "inspect", step.name),
  async execute(step, context) {
    const details = await context.engine.volumes.inspect(step.name);
    if (!details) throw new KitError("ENGINE_ERROR", `No volume named ${step.name}.`);
    // As docker prints it: an array of the engine's answers, indented by four spaces. The kit's own labels
    // (which the shown `docker volume create` does not add) are left out, as typing the commands shows.
    context.out.write(`${JSON.stringify([withoutKitLabels(details.raw)], null, 4)}\n`);
    const wanted = step.expect?.driver;
    return verdict(
      wanted !== undefined && details.driver !== wanted
        ? [`driver should be ${wanted}, was ${details.driver}`]
        : [],
    );
  },
  script: (step, command) =>
    step.expect?.driver
      ? [
          command,
          `check_value driver "$(docker volume inspect -f '{{.Driver}}' ${shellQuote(step.name)})" ${shellQuote(step.expect.driver)}`,
          "verify",
        ]
      : [command],
  // docker volume inspect prints JSON with the name and, when expected, the driver.
  checkRecorded: (step, recorded) =>
    step.expect?.driver !== undefined && !recorded.stdout.includes(`"${step.expect.driver}"`)
      ? [`driver should be ${step.expect.driver}`]
      : [],
  outputMatchers: (step) => [
    {
      contains: [
        `"Name": "${step.name}"`,
        ...(step.expect?.driver ? [`"Driver": "${step.expect.driver}"`] : []),
      ],
    },
  ],
});

function withoutKitLabels(raw: Record<string, unknown>): Record<string, unknown> {
  const labels = Object.entries((raw.Labels ?? {}) as Record<string, string>).filter(
    ([key]) => !key.startsWith("bct."),
  );
  return { ...raw, Labels: labels.length > 0 ? Object.fromEntries(labels) : null };
}
