import { shellQuote } from "@bct/engine";
import { byNameKind } from "./by-name.ts";

const plain = byNameKind({
  kind: "volume-create",
  field: "name",
  words: ["volume", "create"],
  act: (context, name) => context.engine.volumes.create(name),
});

export const volumeCreate = {
  ...plain,
  script: (step: { name: string }, command: string) => [`remember volume ${shellQuote(step.name)}`, command],
  creates: (step: { name: string }) => [{ type: "volume" as const, name: step.name }],
};
