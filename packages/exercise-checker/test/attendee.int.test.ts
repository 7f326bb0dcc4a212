import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { checkExercise } from "../src/check.ts";
import type { CheckReport } from "../src/schema.ts";
import { docker } from "./docker-cli.ts";
import { attemptFolder, exercise } from "./workspace.ts";

/**
 * The attendee's own container, started with the docker CLI exactly as the README asks (no kit labels), on
 * host port 9090. The checker must find it, judge it, and leave it running.
 */
describeWithEngine("the attendee-container criterion", () => {
  let engine: Engine;
  let attempt: ReturnType<typeof attemptFolder>;
  const image = `${exercise.image}:bct-test`;
  const name = "bct-test-attendee-webserver";
  const input = () => join(attempt.dir, "input");

  const startAttendeeContainer = (options: string[]) =>
    docker(engine, ["run", "-d", "--name", name, ...options, image]);

  const attendeeResult = async () => {
    const report: CheckReport = await checkExercise({
      exercise,
      dir: attempt.dir,
      only: ["attendee-container"],
    });
    return report.criteria[0]!;
  };

  beforeAll(async () => {
    engine = await testEngine("exercise-attendee");
    attempt = attemptFolder();
    // Built like an attendee builds it: `docker build` (BuildKit), without the kit's labels.
    await docker(engine, ["build", "-q", "-t", image, attempt.dir]);
  });

  afterEach(async () => {
    await docker(engine, ["rm", "-f", name]).catch(() => "");
  });

  afterAll(async () => {
    await docker(engine, ["image", "rm", "--no-prune", image]).catch(() => "");
    attempt.remove();
  });

  it("passes a correct docker run, keeps the container running, and then catches a stale bind mount", async () => {
    writeFileSync(input(), "hello world\n");
    await startAttendeeContainer(["-p", "9090:8080", "-v", `${input()}:/app/input:ro`]);

    const passed = await checkExercise({ exercise, dir: attempt.dir });
    expect(passed.criteria.map((result) => [result.id, result.status])).toEqual(
      exercise.criteria.map((criterion) => [criterion.id, "pass"]),
    );
    expect(passed.complete).toBe(true);
    expect(passed.criteria.at(-1)!.measured).toBe("hello world\n");
    expect(await docker(engine, ["inspect", "-f", "{{.State.Running}}", name])).toBe("true");

    writeFileSync(input(), "I am standing on the moon\n");
    expect((await attendeeResult()).status).toBe("pass");

    // An editor that saves by writing a new file and renaming it: the mount still shows the old inode.
    writeFileSync(`${input()}.new`, "saved by an editor\n");
    renameSync(`${input()}.new`, input());
    const stale = await attendeeResult();
    expect(stale.status).toBe("fail");
    expect(stale.message).toMatch(
      /answered 200 with "I am standing on the moon\\n", but .* contains "saved by an editor\\n"/,
    );
    expect(stale.hint).toMatch(/new inode/);
  });

  it("fails a container published on another host port, with the docker run command", async () => {
    writeFileSync(input(), "hello world\n");
    await startAttendeeContainer(["-p", "127.0.0.1::8080", "-v", `${input()}:/app/input:ro`]);
    const result = await attendeeResult();
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(
      new RegExp(`Your container ${name} \\(${image}\\) publishes \\d+->8080, not 9090->8080`),
    );
    expect(result.hint).toMatch(/-p 9090:8080/);
    expect(result.hint).toContain(`docker rm -f ${name}`);
  });

  it("fails a container without the bind mount", async () => {
    await startAttendeeContainer(["-p", "9090:8080"]);
    const result = await attendeeResult();
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`Your container ${name} (${image}) has nothing mounted at /app/input.`);
    expect(result.hint).toMatch(/Bind-mount the file with -v <absolute path of input>:\/app\/input:ro/);
  });

  it("is open, with the commands to type, when no container runs", async () => {
    const result = await attendeeResult();
    expect(result.status).toBe("open");
    expect(result.hint).toContain(`docker build -t webserver-volume-access .`);
    expect(result.hint).toContain(
      `docker run -d --rm --name webserver-volume-access -p 9090:8080 -v ${input()}:/app/input:ro webserver-volume-access`,
    );
  });
});
