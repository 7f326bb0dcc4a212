import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest } from "./loader.ts";

const CORPUS = join(import.meta.dirname, "../test/fixtures/malformed");
const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Each fixture states on its first line what the error must say: `# expect: [:line: ]path: message`. */
function expectedOf(text: string): string {
  const match = /^# expect: (.+)$/m.exec(text);
  if (!match) throw new Error("fixture without an '# expect:' line");
  return match[1]!;
}

describe("malformed manifests", () => {
  it("has a corpus of cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)("%s fails with the expected path and message", (name) => {
    const file = `examples/${name}/example.yaml`;
    const text = readFileSync(join(CORPUS, name, "example.yaml"), "utf8");
    const result = parseManifest(text, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const wanted = expectedOf(text);
    const prefix = wanted.startsWith(":") ? `${file}${wanted}` : undefined;
    const match = result.problems.find((line) =>
      prefix ? line.startsWith(prefix) : line.startsWith(file) && line.includes(wanted),
    );
    expect(match, `problems were:\n${result.problems.join("\n")}`).toBeDefined();
  });
});

describe("valid manifests", () => {
  it("fills the defaults", () => {
    const result = parseManifest(
      [
        "title: T",
        "section: run-options",
        "order: 2",
        "description: d",
        "steps:",
        "  - { kind: run, title: r, image: my-image, name: web, detach: true }",
        "  - { kind: http, title: h, url: 'http://localhost:1234/' }",
        "  - { kind: build, title: b, tag: my-image }",
      ].join("\n"),
      "x.yaml",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [run, http, build] = result.manifest.steps;
    expect(run).toMatchObject({ kind: "run", rm: false, detach: true });
    expect(http).toMatchObject({ kind: "http", expect: { status: 200 } });
    expect(build).toMatchObject({ kind: "build", context: "." });
  });

  it("lets an image built in the same example go without a tag", () => {
    const text = (image: string) =>
      `title: T\nsection: building-images\norder: 1\ndescription: d\nsteps:\n  - { kind: build, title: b, tag: mine }\n  - { kind: run, title: r, image: ${image}, rm: true }\n`;
    expect(parseManifest(text("mine"), "x.yaml").ok).toBe(true);
    expect(parseManifest(text("other"), "x.yaml")).toMatchObject({
      ok: false,
      problems: [expect.stringContaining("steps.1.image: pin a tag")],
    });
  });

  it("reports every problem of a manifest, not only the first", () => {
    const result = parseManifest(
      "title: ''\nsection: nope\norder: -1\ndescription: d\nsteps: []\n",
      "x.yaml",
    );
    expect(result.ok ? [] : result.problems.map((line) => line.split(": ")[1])).toEqual([
      "title",
      "section",
      "order",
      "steps",
    ]);
  });
});
