import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { buildxStatus, CONTAINER_BUILDER_CREATE, runQuietly } from "../src/multiarch-support.ts";
import { describeWithEngine, testEngine } from "../src/testing.ts";

// Builders live in the docker CLI's config, not in the engine: each test makes its own under a unique
// name, without --use (the machine's current builder stays) and without --bootstrap (no BuildKit image
// is pulled), and removes it afterwards.
describeWithEngine("buildx builders and the course registry", () => {
  let engine: Engine;
  const created: string[] = [];
  beforeAll(async () => {
    engine = await testEngine("builders");
  });
  afterAll(async () => {
    for (const name of created) await runQuietly("docker", ["buildx", "rm", name], engine.cliEnvironment());
    await engine.cleanup();
  });

  async function createBuilder(args: string[]): Promise<string> {
    const name = `bct-test-${randomBytes(4).toString("hex")}`;
    const outcome = await runQuietly(
      "docker",
      ["buildx", "create", "--name", name, ...args],
      engine.cliEnvironment(),
    );
    expect(outcome.stderr).toBe("");
    expect(outcome.ok).toBe(true);
    created.push(name);
    return name;
  }

  const statusOf = (builder: string) => buildxStatus({ ...engine.cliEnvironment(), BUILDX_BUILDER: builder });

  it("the builder the kit's fix text creates reaches localhost:5000", async () => {
    const args = CONTAINER_BUILDER_CREATE.split(" ").slice(3); // after "docker buildx create"
    args.splice(args.indexOf("--name"), 2);
    const name = await createBuilder(args.filter((arg) => arg !== "--use" && arg !== "--bootstrap"));
    const status = await statusOf(name);
    expect(status.driver).toBe("docker-container");
    expect(status.reachesHostRegistry).toBe(true);
  });

  it("a docker-container builder on its own network does not, and says so", async () => {
    const name = await createBuilder(["--driver", "docker-container"]);
    const status = await statusOf(name);
    expect(status.driver).toBe("docker-container");
    expect(status.reachesHostRegistry).toBe(false);
  });

  it("the default builder (BuildKit inside dockerd) does", async () => {
    const status = await statusOf("default");
    expect(status.driver).toBe("docker");
    expect(status.reachesHostRegistry).toBe(true);
  });
});
