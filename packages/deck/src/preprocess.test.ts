import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isKitError } from "@bct/engine";
import { describe, expect, it } from "vitest";
import { fakeExampleSource, fixtureRepo, fixtureTranscripts } from "../test/fake-examples.ts";
import { type PreprocessContext, preprocessSlides } from "./preprocess.ts";

const source = fakeExampleSource(fixtureTranscripts);
const context: PreprocessContext = {
  repoRoot: fixtureRepo,
  deckDir: join(fixtureRepo, "packages", "deck"),
  examples: await source.loadExamples(fixtureRepo),
  transcript: (example) => source.exampleTranscript(example),
};

function run(text: string, file = "packages/deck/slides/10-part.md") {
  return preprocessSlides([{ file, text }], context);
}

function problemsOf(text: string): string[] {
  try {
    run(text);
  } catch (error) {
    if (isKitError(error)) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("expected the preprocessor to fail");
}

describe("preprocessSlides", () => {
  it("embeds an example file verbatim in a fence of its language", () => {
    const result = run("# Ports\n\n<!-- include: examples/ports/Dockerfile -->\n");
    const dockerfile = readFileSync(join(fixtureRepo, "examples/ports/Dockerfile"), "utf8");
    expect(result.markdown).toBe(`# Ports\n\n\`\`\`dockerfile\n${dockerfile}\`\`\`\n`);
    expect([...result.examplesReferenced]).toEqual(["ports"]);
    expect(result.filesIncluded).toEqual(["examples/ports/Dockerfile"]);
  });

  it("picks a longer fence when the file holds backticks, and the language from the name", () => {
    const result = run(
      [
        "<!-- include: examples/greet/Dockerfile.builder -->",
        "<!-- include: examples/greet/Makefile -->",
        "<!-- include: examples/greet/README.md -->",
      ].join("\n"),
    );
    expect(result.markdown).toContain(
      '```dockerfile\nFROM alpine:3.24 AS build\nRUN echo "a `backtick` & <tag>" > /x\n```',
    );
    expect(result.markdown).toContain("````markdown\n# Greet\n\n```sh\nmake\n```\n````");
    expect(result.markdown).toContain("```makefile\nall:\n\tg++ -static main.cpp -o out/static\n```");
  });

  it("renders a transcript as HTML: notes, prompt and command, output, each its own element", () => {
    const result = run("<!-- transcript: ports -->");
    expect(result.markdown).toBe(
      [
        '<pre class="transcript"><code><span class="note">» Publish port 80 on 1234</span>',
        '<span class="command"><span class="prompt">$ </span>docker run -d --name web -p 1234:80 nginx:1.30-alpine</span>',
        '<span class="note">» Ask the server</span>',
        '<span class="command"><span class="prompt">$ </span>curl -s localhost:1234</span>',
        '<span class="output">Welcome to nginx!</span>',
        '<span class="command"><span class="prompt">$ </span>docker kill web</span>',
        '<span class="output">web</span></code></pre>',
        "",
      ].join("\n"),
    );
  });

  it("shows a range of steps, without titles when asked, escapes HTML and marks an excerpt", () => {
    const result = run("<!-- transcript: ports 2-3 no-notes -->");
    expect(result.markdown).toBe(
      '<pre class="transcript"><code><span class="command"><span class="prompt">$ </span>curl -s localhost:1234</span>\n<span class="output">Welcome to nginx!</span>\n<span class="command"><span class="prompt">$ </span>docker kill web</span>\n<span class="output">web</span></code></pre>\n',
    );
    const html = preprocessSlides([{ file: "x.md", text: "<!-- transcript: greet -->" }], {
      ...context,
      transcript: () => [{ command: "echo '<b>'", output: "<b>", excerpt: "the first 1 of 9 lines" }],
    }).markdown;
    expect(html).toContain("echo '&lt;b&gt;'");
    expect(html).toContain('<span class="excerpt">[excerpt: the first 1 of 9 lines]</span>');
  });

  it("replaces {{image:NAME}} by the reference the course pins, in text and in code, and names an unknown one", () => {
    const images = new Map([["nginx", "nginx:1.30-alpine"]]);
    const text = "Pin `{{image:nginx}}`\n\n```console\n$ docker run -d {{image:nginx}}\n```\n";
    expect(preprocessSlides([{ file: "x.md", text }], { ...context, images }).markdown).toBe(
      "Pin `nginx:1.30-alpine`\n\n```console\n$ docker run -d nginx:1.30-alpine\n```\n",
    );
    expect(() =>
      preprocessSlides([{ file: "x.md", text: "{{image:ngin}}" }], { ...context, images }),
    ).toThrow('x.md:1: {{image:ngin}}: the course uses no image ngin (did you mean "nginx"?)');
  });

  it("embeds a README section as markdown with its headings demoted", () => {
    const result = run("## The exercise\n<!-- excerpt: exercise/demo/README.md#Task -->");
    expect(result.markdown).toBe(
      "## The exercise\nBuild an image that serves `input` on port 8080.\n\n###### Details\n\nRun it with a bind mount.\n",
    );
    expect(result.examplesReferenced.size).toBe(0);
  });

  it("joins parts as separate slides and leaves directives inside code fences alone", () => {
    const result = preprocessSlides(
      [
        { file: "a.md", text: "# A\n" },
        { file: "b.md", text: "```md\n<!-- include: examples/nope -->\n```\n" },
      ],
      context,
    );
    expect(result.markdown).toBe("# A\n\n---\n\n```md\n<!-- include: examples/nope -->\n```\n");
  });

  it("keeps speaker notes and other comments untouched", () => {
    expect(run("# Hi\n<!-- Ask who used Docker before. -->").markdown).toBe(
      "# Hi\n<!-- Ask who used Docker before. -->\n",
    );
  });

  it("reports every broken directive with file:line, and suggests the closest example", () => {
    expect(
      problemsOf(
        [
          "# Broken",
          "<!-- include: examples/ports/Dockerfile.missing -->",
          "<!-- transcript: portz -->",
          "<!-- include: ../secrets.txt -->",
          "<!-- include: exercise/demo/Dockerfile.solution -->",
          "<!-- excerpt: exercise/demo/README.md#Nope -->",
          "<!-- transcript: ports 3-9 -->",
          "<!-- transcript: ports sideways -->",
          "![diagram](assets/missing.svg)",
          "![web](https://example.com/x.png)",
        ].join("\n"),
      ),
    ).toEqual([
      "packages/deck/slides/10-part.md:2: include not found: examples/ports/Dockerfile.missing",
      'packages/deck/slides/10-part.md:3: unknown example "portz" (did you mean "ports"?)',
      "packages/deck/slides/10-part.md:4: only files under examples/ or exercise/ or packages/deck/snippets/ can be included, got ../secrets.txt",
      "packages/deck/slides/10-part.md:5: the deck never shows a solution file: exercise/demo/Dockerfile.solution",
      'packages/deck/slides/10-part.md:6: no heading "Nope" in exercise/demo/README.md (headings: Demo exercise, Task, Details, Solution)',
      'packages/deck/slides/10-part.md:7: example "ports" has 3 steps; range 3-9 is outside it',
      'packages/deck/slides/10-part.md:8: unknown transcript option "sideways" (use a step range like 2-4, or no-notes)',
      "packages/deck/slides/10-part.md:9: image not found: assets/missing.svg (paths are relative to packages/deck)",
      "packages/deck/slides/10-part.md:10: images must be local files under packages/deck/assets, got https://example.com/x.png",
    ]);
  });

  it("accepts a local image and reports an unclosed fence", () => {
    expect(run("![w:200](assets/box.svg)").markdown).toBe("![w:200](assets/box.svg)\n");
    expect(problemsOf("```sh\necho hi\n")).toEqual([
      "packages/deck/slides/10-part.md:3: unclosed code fence",
    ]);
  });
});
