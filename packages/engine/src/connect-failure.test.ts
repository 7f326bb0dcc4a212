import { describe, expect, it } from "vitest";
import { connectEngine } from "./engine.ts";

describe("connectEngine where no engine is", () => {
  it("says in words why each place it tried failed, without Node's error code", async () => {
    const failure = connectEngine({
      owner: "test:connect-failure",
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock", HOME: "/nonexistent" },
      pingTimeoutMs: 1000,
    });
    await expect(failure).rejects.toThrow(
      /Tried:\n {2}unix:\/\/\/nonexistent\/docker\.sock \(DOCKER_HOST\): no socket at that path: the engine is not running, or listens elsewhere/,
    );
    await expect(failure).rejects.not.toThrow(/ENOENT/);
  });
});
