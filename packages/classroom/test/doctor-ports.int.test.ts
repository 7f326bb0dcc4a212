import { createServer } from "node:net";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type CheckResult, runDoctorChecks } from "../src/doctor-checks.ts";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "0.0.0.0", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// A stand-in for the attendee's image: any local image under the exercise's name will do.
const EXERCISE_IMAGE = `bct-doctor-exercise-${process.pid}`;

describeWithEngine("the doctor's port check with a container publishing the port", () => {
  let engine: Awaited<ReturnType<typeof testEngine>>;
  let exercisePort: number;
  let otherPort: number;
  let results: CheckResult[];

  beforeAll(async () => {
    engine = await testEngine("classroom-doctor-ports");
    await engine.images.tag("alpine:3.24", `${EXERCISE_IMAGE}:1`);
    exercisePort = await freePort();
    otherPort = await freePort();
    const sleeper = { command: ["sleep", "120"], labels: { "bct.role": "doctor-test" } };
    await engine.containers.start({
      ...sleeper,
      image: `${EXERCISE_IMAGE}:1`,
      name: `bct-doctor-exercise-${process.pid}`,
      ports: [{ host: exercisePort, container: 8080 }],
    });
    await engine.containers.start({
      ...sleeper,
      image: "alpine:3.24",
      name: `bct-doctor-other-${process.pid}`,
      ports: [{ host: otherPort, container: 80 }],
    });
    results = await runDoctorChecks({
      env: process.env,
      loadCourseImages: async () => [],
      ports: [exercisePort, otherPort],
      exerciseContainer: { image: EXERCISE_IMAGE, hostPort: exercisePort },
      hub: { authUrl: "http://127.0.0.1:9/token", registryUrl: "http://127.0.0.1:9/v2" },
    });
  }, 60_000);

  afterAll(async () => {
    await engine?.cleanup();
    await engine?.images.untag(`${EXERCISE_IMAGE}:1`);
  });

  it("passes the exercise's own container on the exercise's port, naming it", () => {
    expect(results.find((check) => check.id === `port-${exercisePort}`)).toMatchObject({
      status: "ok",
      detail: `in use by your exercise container 'bct-doctor-exercise-${process.pid}' (${exercisePort}->8080), as it should be`,
    });
  });

  it("names the container behind Docker's proxy and says how to stop it, never to kill the proxy", () => {
    const check = results.find((candidate) => candidate.id === `port-${otherPort}`);
    expect(check).toMatchObject({
      status: "fail",
      required: true,
      detail: `in use by the kit's container 'bct-doctor-other-${process.pid}' (image alpine:3.24, ${otherPort}->80)`,
      fix: `Stop it when you are done with it: docker stop bct-doctor-other-${process.pid}`,
    });
    expect(`${check?.detail} ${check?.fix}`).not.toMatch(/kill|docker-proxy/);
  });
});
