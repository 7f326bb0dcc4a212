import { byNameKind } from "./by-name.ts";

export const stop = byNameKind({
  kind: "stop",
  field: "container",
  words: ["stop"],
  act: (context, name) => context.engine.containers.stop(name),
});
