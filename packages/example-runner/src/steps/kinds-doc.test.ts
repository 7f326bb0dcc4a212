import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STEP_KINDS } from "./index.ts";

const names = STEP_KINDS.map((kind) => kind.schema.shape.kind.value);

describe("the step kinds", () => {
  it("are listed in the README, every one and nothing else, in the order of STEP_KINDS", () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    const paragraph = /^Step kinds: ([\s\S]*?)\nText expectations/m.exec(readme)?.[1] ?? "";
    const listed = [...paragraph.matchAll(/`([a-z-]+)`/g)].map((match) => match[1]);
    expect(listed).toEqual(names);
  });
});
