import { describe, expect, it } from "vitest";
import { dockerBuildCommand, dockerRunCommand, shellQuote } from "./cli-equivalent.ts";

describe("dockerRunCommand", () => {
  it("renders what an attendee would type", () => {
    expect(
      dockerRunCommand(
        {
          image: "nginx:1.30-alpine",
          name: "nginx",
          ports: [{ host: 1234, container: 80 }],
          mounts: [{ type: "bind", source: "/tmp/x y", target: "/data", readOnly: true }],
          env: { FOO: "bar baz" },
        },
        { detach: true, remove: true },
      ),
    ).toBe(
      "docker run -d --rm --name nginx --env 'FOO=bar baz' -p 1234:80 -v '/tmp/x y:/data:ro' nginx:1.30-alpine",
    );
  });

  it("renders security options and limits", () => {
    expect(
      dockerRunCommand({
        image: "alpine:3.24",
        user: "10001:10001",
        readOnlyRootfs: true,
        capDrop: ["ALL"],
        noNewPrivileges: true,
        limits: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pids: 64 },
        command: ["id"],
      }),
    ).toBe(
      "docker run --user 10001:10001 --read-only --cap-drop ALL --security-opt no-new-privileges --memory 64m --cpus 0.5 --pids-limit 64 alpine:3.24 id",
    );
  });

  it("puts the rest of a multi-part entrypoint before the command", () => {
    expect(dockerRunCommand({ image: "x", entrypoint: ["sh", "-c"], command: ["echo $HOME"] })).toBe(
      "docker run --entrypoint sh x -c 'echo $HOME'",
    );
  });
});

describe("dockerBuildCommand", () => {
  it("renders tags, file, build args and target", () => {
    expect(
      dockerBuildCommand({
        context: ".",
        tags: ["myalpine:3.24"],
        dockerfile: "Dockerfile.builder",
        buildArgs: { IMAGE: "alpine", TAG: "3.22" },
        target: "builder",
      }),
    ).toBe(
      "docker build -t myalpine:3.24 -f Dockerfile.builder --build-arg IMAGE=alpine --build-arg TAG=3.22 --target builder .",
    );
  });
});

describe("shellQuote", () => {
  it("quotes only when needed and escapes single quotes", () => {
    expect(shellQuote("plain-word_1.2")).toBe("plain-word_1.2");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
  });
});
