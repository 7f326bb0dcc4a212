import { z } from "zod";
import { containerName, resourceName, stepBase } from "../fields.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, ok, type StepContext } from "./step-kind.ts";

/**
 * A kind that is one `docker <words> <name>` acting on one container, network or volume by name and
 * printing that name, as docker does: stop, start, network rm, volume create, volume rm.
 */
export function byNameKind<const Kind extends string, const Field extends "container" | "name">(options: {
  kind: Kind;
  field: Field;
  words: string[];
  act: (context: StepContext, name: string) => Promise<unknown>;
}) {
  const schema = z
    .object({
      kind: z.literal(options.kind).describe("Step kind"),
      ...stepBase,
      [options.field]: options.field === "container" ? containerName : resourceName,
    } as { kind: z.ZodLiteral<Kind> } & typeof stepBase & Record<Field, z.ZodString>)
    .strict()
    .describe(`docker ${options.words.join(" ")}`);
  const nameOf = (step: Record<Field, string>) => step[options.field];
  return defineStepKind({
    schema,
    command: (step, values) => argv(values, "docker", ...options.words, nameOf(step as never)),
    async execute(step, context) {
      await options.act(context, nameOf(step as never));
      context.out.write(`${nameOf(step as never)}\n`);
      return ok();
    },
    script: (_, command) => [command],
    outputMatchers: (step) => [{ equals: nameOf(step as never) }],
  });
}
