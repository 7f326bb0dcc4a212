import { describe, expect, it } from "vitest";
import { SCRIPT_PLACEHOLDERS, TRANSCRIPT_PLACEHOLDERS } from "./placeholders.ts";
import { type Step, stepSchema } from "./schema.ts";
import { stepCommand } from "./steps/index.ts";

const step = (input: Record<string, unknown>): Step => stepSchema.parse({ title: "t", ...input });

describe("stepCommand", () => {
  it("renders a run step as the docker run an attendee types", () => {
    const run = step({
      kind: "run",
      image: "nginx:1.30-alpine",
      name: "web",
      detach: true,
      ports: [{ host: 1234, container: 80 }],
      mounts: [{ type: "bind", source: "{{workdir}}/site", target: "/usr/share/nginx/html", readOnly: true }],
      limits: { memory: "64m", pids: 50 },
    });
    expect(stepCommand(run, TRANSCRIPT_PLACEHOLDERS)).toBe(
      'docker run -d --name web -p 1234:80 -v "$PWD/site:/usr/share/nginx/html:ro" --memory 64m --pids-limit 50 nginx:1.30-alpine',
    );
    expect(stepCommand(run, SCRIPT_PLACEHOLDERS)).toContain('-v "$WORKDIR/site:/usr/share/nginx/html:ro"');
  });

  it("quotes what bash would split or expand, and nothing else", () => {
    const run = step({
      kind: "run",
      image: "cmd",
      rm: true,
      command: ["-u", "-d", "@0", "+%Y-%m-%d %H:%M:%S"],
    });
    expect(stepCommand(run, TRANSCRIPT_PLACEHOLDERS)).toBe(
      "docker run --rm cmd -u -d @0 '+%Y-%m-%d %H:%M:%S'",
    );
  });

  it("escapes the literal parts of a word that holds a placeholder", () => {
    const run = step({
      kind: "run",
      image: "alpine:3.24",
      rm: true,
      mounts: [{ type: "bind", source: '{{example}}/a "b" $c', target: "/x" }],
    });
    expect(stepCommand(run, TRANSCRIPT_PLACEHOLDERS)).toContain('-v "$PWD/a \\"b\\" \\$c:/x"');
  });

  it("renders build arguments, -f relative to the folder, and the target", () => {
    const build = step({
      kind: "build",
      tag: "app:1",
      context: "src",
      dockerfile: "Dockerfile.single",
      buildArgs: { TAG: "3.22" },
      target: "final",
    });
    expect(stepCommand(build, TRANSCRIPT_PLACEHOLDERS)).toBe(
      "docker build -t app:1 -f src/Dockerfile.single --build-arg TAG=3.22 --target final src",
    );
  });

  it("writes a file with a heredoc whose delimiter is not in the content", () => {
    const write = step({ kind: "write-file", path: "site/index.html", content: "<h1>hi</h1>\nEOF\n" });
    expect(stepCommand(write, TRANSCRIPT_PLACEHOLDERS)).toBe(
      "cat > site/index.html <<'EOF_'\n<h1>hi</h1>\nEOF\nEOF_",
    );
    expect(stepCommand(write, SCRIPT_PLACEHOLDERS)).toMatch(/^cat > "\$WORKDIR\/site\/index.html" <<'EOF_'/);
    const noNewline = step({ kind: "write-file", path: "a.txt", content: "it's" });
    expect(stepCommand(noNewline, TRANSCRIPT_PLACEHOLDERS)).toBe("printf '%s' 'it'\\''s' > a.txt");
  });

  it("hides the kit's labels from the deck but keeps them in the script", () => {
    const shell = step({ kind: "shell", script: "docker build $BCT_LABELS -t x {{example}}\n" });
    expect(stepCommand(shell, TRANSCRIPT_PLACEHOLDERS)).toBe("docker build -t x $PWD");
    expect(stepCommand(shell, SCRIPT_PLACEHOLDERS)).toBe("docker build $BCT_LABELS -t x $EXAMPLE_DIR");
  });

  it.each([
    [
      { kind: "ps", all: true, expect: { container: "web", state: "exited" } },
      "docker ps -a --filter 'name=^web$'",
    ],
    [{ kind: "kill", container: "web", signal: "SIGTERM" }, "docker kill --signal SIGTERM web"],
    [{ kind: "rm", container: "web", force: true }, "docker rm -f web"],
    [
      { kind: "exec", container: "web", user: "nobody", command: ["id", "-u"] },
      "docker exec --user nobody web id -u",
    ],
    [{ kind: "http", url: "http://localhost:1234/" }, "curl -sS http://localhost:1234/"],
    [{ kind: "network-create", name: "course" }, "docker network create course"],
    [{ kind: "volume-inspect", name: "data" }, "docker volume inspect data"],
    [{ kind: "tag", source: "app", target: "localhost:5000/app:1" }, "docker tag app localhost:5000/app:1"],
    [{ kind: "check-file", path: "out.txt", expect: { exists: true } }, "cat out.txt"],
  ])("renders %o as %s", (input, command) => {
    expect(stepCommand(step(input), TRANSCRIPT_PLACEHOLDERS)).toBe(command);
  });
});
