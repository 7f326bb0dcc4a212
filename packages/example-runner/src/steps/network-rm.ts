import { byNameKind } from "./by-name.ts";

export const networkRm = byNameKind({
  kind: "network-rm",
  field: "name",
  words: ["network", "rm"],
  act: (context, name) => context.engine.networks.remove(name),
});
