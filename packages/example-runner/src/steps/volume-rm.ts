import { byNameKind } from "./by-name.ts";

export const volumeRm = byNameKind({
  kind: "volume-rm",
  field: "name",
  words: ["volume", "rm"],
  act: (context, name) => context.engine.volumes.remove(name),
});
