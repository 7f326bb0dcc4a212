import { MULTIARCH_PLATFORMS } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { pullsStillNeeded } from "../src/hub-pulls.ts";
import { multiArchBase } from "./class-harness.ts";

describeWithEngine("the Docker Hub pulls the course still needs on this engine", () => {
  it("counts a missing image once per platform it is built for, and nothing for images present", async () => {
    const engine = await testEngine("hub-pulls");
    const missing = `bct-test/never-pulled:${engine.session.id}`;
    const needed = await pullsStillNeeded(
      engine,
      [
        { ref: await multiArchBase(), usedBy: ["examples/multi-arch/Dockerfile"] },
        { ref: missing, usedBy: ["examples/multi-arch/Dockerfile"] },
        { ref: `${missing}-single`, usedBy: ["examples/ports/example.yaml"] },
        { ref: "localhost:5000/bct-test/x:1", usedBy: ["examples/tag-push-pull/example.yaml"] },
      ],
      process.env,
    );
    const version = await engine.version();
    const host = `${version.os}/${version.arch === "arm" ? "arm/v7" : version.arch}`;
    // The multi-arch base is here for every platform (CI's stand-in is multi-platform), so only the missing ones count.
    expect(needed).toEqual([
      { ref: missing, platform: host },
      ...MULTIARCH_PLATFORMS.filter((platform) => platform !== host).map((platform) => ({
        ref: missing,
        platform,
      })),
      { ref: `${missing}-single`, platform: host },
    ]);
    expect(needed).toHaveLength(4);
  });
});
