import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExamples } from "./loader.ts";
import { exampleTranscript } from "./transcript.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");

describe("exampleTranscript", () => {
  it("gives the deck the commands, exact outputs, excerpts and captions", async () => {
    const examples = await loadExamples(REPO_ROOT);
    const byName = new Map(examples.map((example) => [example.name, exampleTranscript(example)]));
    expect(byName.get("args")?.slice(0, 2)).toEqual([
      { command: "docker build -t mybash:5.3 .", note: "Build with the defaults (bash 5.3)" },
      {
        command: "docker run --rm mybash:5.3 env",
        note: "The image knows which base it was built from",
        output: "VERSION=bash:5.3",
      },
    ]);
    expect(byName.get("cmd")?.[2]).toEqual({
      command: "docker run --rm cmd -u -d @0 '+%Y-%m-%d %H:%M:%S'",
      note: "Arguments after the image replace CMD; date still runs",
      output: "1970-01-01 00:00:00",
    });
    // Only a regular expression states this output; the deck shows the recorded one (recording.json).
    expect(byName.get("my-hello-world")?.[1]?.output).toBeUndefined();
    expect(byName.get("ports")?.map((entry) => entry.command)).toEqual([
      "docker pull nginx:1.30-alpine",
      "docker run -d --name nginx -p 1234:80 nginx:1.30-alpine",
      "docker ps --filter 'name=^nginx$'",
      "curl -sS http://localhost:1234/",
      "docker stop nginx",
      "docker rm nginx",
      "docker ps -a --filter 'name=^nginx$'",
    ]);
  });

  it("lists the examples by deck section, then order", async () => {
    const names = (await loadExamples(REPO_ROOT)).map((example) => example.name);
    expect(names.indexOf("hello-world")).toBeLessThan(names.indexOf("ports"));
    expect(names.indexOf("my-hello-world")).toBeLessThan(names.indexOf("args"));
    expect(names.indexOf("args")).toBeLessThan(names.indexOf("cmd"));
  });
});
