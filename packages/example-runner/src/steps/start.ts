import { byNameKind } from "./by-name.ts";

export const start = byNameKind({
  kind: "start",
  field: "container",
  words: ["start"],
  act: (context, name) => context.engine.containers.restart(name),
});
