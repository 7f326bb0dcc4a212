import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExamples } from "./loader.ts";

function repoWith(manifests: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "bct-loader-"));
  for (const [name, text] of Object.entries(manifests)) {
    mkdirSync(join(root, "examples", name), { recursive: true });
    writeFileSync(join(root, "examples", name, "example.yaml"), text);
  }
  return root;
}

const valid = (section: string, order: number) =>
  `title: T\nsection: ${section}\norder: ${order}\ndescription: d\nsteps:\n  - { kind: pull, title: p, image: alpine:3.24 }\n`;

describe("loadExamples", () => {
  it("sorts by deck section, then order", async () => {
    const root = repoWith({ b: valid("security", 1), a: valid("volumes", 2), c: valid("volumes", 1) });
    expect((await loadExamples(root)).map((example) => example.name)).toEqual(["c", "a", "b"]);
  });

  it("fails with one file:line: path: message line per problem, across files", async () => {
    const root = repoWith({
      good: valid("first-steps", 1),
      bad: "title: T\nsection: nowhere\norder: 1\ndescription: d\nsteps:\n  - { kind: pull, title: p, image: alpine:3.24 }\n",
      unpinned:
        "title: T\nsection: volumes\norder: 1\ndescription: d\nsteps:\n  - { kind: pull, title: p, image: alpine }\n",
      worse: "title: [\n",
    });
    await expect(loadExamples(root)).rejects.toMatchObject({
      code: "INVALID_INPUT",
      exitCode: 2,
      message: expect.stringMatching(
        /examples\/bad\/example.yaml:2: section: .*\nexamples\/unpinned\/example.yaml:6: steps.0.image: pin a tag.*\nexamples\/worse\/example.yaml:\d+: \(yaml\): /,
      ),
    });
  });
});
