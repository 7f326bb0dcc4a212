import { describe, expect, it } from "vitest";
import { SCRIPT_PLACEHOLDERS, TRANSCRIPT_PLACEHOLDERS } from "../placeholders.ts";
import { type Step, stepSchema } from "../schema.ts";
import { createdResources, stepCommand, stepScript } from "./index.ts";

const step = (input: Record<string, unknown>): Step =>
  stepSchema.parse({ title: "t", project: "greeter", ...input });

describe("the Compose step kinds", () => {
  it("render the docker compose an attendee types, variables first", () => {
    expect(stepCommand(step({ kind: "compose-up" }), TRANSCRIPT_PLACEHOLDERS)).toBe(
      "docker compose up -d --wait",
    );
    expect(
      stepCommand(
        step({
          kind: "compose-up",
          build: true,
          wait: false,
          env: { GREETING: "Hi there" },
          services: ["web"],
        }),
        TRANSCRIPT_PLACEHOLDERS,
      ),
    ).toBe("GREETING='Hi there' docker compose up -d --build web");
    expect(stepCommand(step({ kind: "compose-ps", all: true }), TRANSCRIPT_PLACEHOLDERS)).toBe(
      "docker compose ps -a",
    );
    expect(
      stepCommand(
        step({ kind: "compose-logs", service: "web", follow: true, prefix: false }),
        TRANSCRIPT_PLACEHOLDERS,
      ),
    ).toBe("docker compose logs -f --no-log-prefix web");
    expect(stepCommand(step({ kind: "compose-down" }), TRANSCRIPT_PLACEHOLDERS)).toBe("docker compose down");
    expect(
      stepCommand(step({ kind: "compose-down", volumes: true, removeImages: true }), TRANSCRIPT_PLACEHOLDERS),
    ).toBe("docker compose down -v --rmi local");
  });

  it("make every script step drop the caller's COMPOSE_* overrides and remember the project for cleanup", () => {
    for (const kind of ["compose-up", "compose-ps", "compose-down"]) {
      const lines = stepScript(step({ kind }), stepCommand(step({ kind }), SCRIPT_PLACEHOLDERS));
      expect(lines.slice(0, 2)).toEqual([
        "unset COMPOSE_PROJECT_NAME COMPOSE_FILE COMPOSE_PROFILES",
        "remember project greeter",
      ]);
    }
  });

  it("check in the script what down must have removed: volumes only with -v, images only with --rmi", () => {
    const plain = stepScript(step({ kind: "compose-down" }), "docker compose down").join("\n");
    expect(plain).toContain("docker ps -aq --filter label=com.docker.compose.project=greeter | wc -l");
    expect(plain).toContain("docker network ls -q --filter");
    expect(plain).not.toContain("docker volume ls");
    const all = stepScript(
      step({ kind: "compose-down", volumes: true, removeImages: true }),
      "docker compose down -v --rmi local",
    ).join("\n");
    expect(all).toContain("docker volume ls -q --filter label=com.docker.compose.project=greeter");
    expect(all).toContain("docker images -q --filter label=com.docker.compose.project=greeter");
  });

  it("follow logs in the background and stop following once the checks pass", () => {
    const lines = stepScript(
      step({
        kind: "compose-logs",
        service: "web",
        follow: true,
        expect: { stdout: { contains: "greeted" } },
      }),
      "docker compose logs -f web",
    );
    expect(lines).toContain('docker compose logs -f web >"$CHECKS/stdout" 2>"$CHECKS/stderr" &');
    expect(lines).toContain("  check_contains stdout greeted");
    expect(lines).toContain('kill -INT "$follower" 2>/dev/null || true');
  });

  it("name the project as what compose-up creates, so preflight checks it is free", () => {
    expect(createdResources(step({ kind: "compose-up" }))).toEqual([{ type: "project", name: "greeter" }]);
    expect(createdResources(step({ kind: "compose-ps" }))).toEqual([]);
  });

  it("refuse a step without a project or with unknown fields", () => {
    expect(() => stepSchema.parse({ kind: "compose-up", title: "t" })).toThrow(/project/);
    expect(() => stepSchema.parse({ kind: "compose-down", title: "t", project: "p", prune: true })).toThrow(
      /prune/,
    );
  });
});

describe("Compose names", () => {
  it("accept what docker compose accepts as a project or service name, and nothing else", () => {
    expect(() => stepSchema.parse({ kind: "compose-up", title: "t", project: "Greeter" })).toThrow(
      /a Compose name/,
    );
    expect(() =>
      stepSchema.parse({ kind: "compose-logs", title: "t", project: "greeter", service: "web app" }),
    ).toThrow(/a Compose name/);
    expect(stepSchema.parse({ kind: "compose-up", title: "t", project: "greeter_2-b" })).toMatchObject({
      project: "greeter_2-b",
    });
  });
});
