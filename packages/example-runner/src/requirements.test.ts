import type { BuildxStatus, Engine } from "@bct/engine";
import { describe, expect, it } from "vitest";
import type { LoadedExample } from "./loader.ts";
import { checkRequirements, type RequirementProbes, unmetRequirements } from "./requirements.ts";

const capable: BuildxStatus = {
  installed: true,
  version: "0.13.1",
  builder: "default",
  driver: "docker",
  listedPlatforms: ["linux/amd64", "linux/arm64"],
  buildablePlatforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"],
  containerdImageStore: true,
  reachesHostRegistry: true,
  note: undefined,
};

const probes = (overrides: Partial<RequirementProbes> = {}): RequirementProbes => ({
  buildx: async () => capable,
  missingBinfmt: () => [],
  registryAnswers: async () => true,
  ...overrides,
});

const all = ["buildx-multiarch", "qemu-binfmt", "local-registry"] as const;

describe("unmetRequirements", () => {
  it("is empty when the machine has everything", async () => {
    expect(await unmetRequirements(all, probes())).toEqual([]);
  });

  it("names each missing piece with its fix", async () => {
    const unmet = await unmetRequirements(
      all,
      probes({
        buildx: async () => ({ ...capable, buildablePlatforms: ["linux/amd64"] }),
        missingBinfmt: () => ["qemu-arm"],
        registryAnswers: async () => false,
      }),
    );
    expect(unmet.map((entry) => entry.requirement)).toEqual([...all]);
    expect(unmet[0]!.problem).toContain("cannot build linux/arm64, linux/arm/v7");
    expect(unmet[1]!.problem).toContain("qemu-arm");
    expect(unmet[1]!.fix).toContain("update-binfmts --enable");
    expect(unmet[2]!.problem).toContain("localhost:5000");
    expect(unmet[2]!.fix).toMatch(/^Start the course registry: docker run .*-p 5000:5000 .*registry:\d/);
  });

  it("stops a builder that builds every platform but cannot reach localhost:5000, with a fix that can", async () => {
    const offHost = { ...capable, builder: "multi", driver: "docker-container", reachesHostRegistry: false };
    const unmet = await unmetRequirements(["buildx-multiarch"], probes({ buildx: async () => offHost }));
    expect(unmet).toHaveLength(1);
    expect(unmet[0]!.problem).toContain("multi (docker-container driver) does not reach localhost:5000");
    expect(unmet[0]!.fix).toContain("--driver-opt network=host");
  });

  it("reports a missing buildx plugin rather than its platforms", async () => {
    const unmet = await unmetRequirements(
      ["buildx-multiarch"],
      probes({ buildx: async () => ({ ...capable, installed: false }) }),
    );
    expect(unmet).toHaveLength(1);
    expect(unmet[0]!.problem).toBe("the docker buildx plugin is not installed");
    expect(unmet[0]!.fix).toContain("docker-buildx");
  });

  it("checks only what the example requires", async () => {
    const unmet = await unmetRequirements(
      ["local-registry"],
      probes({
        buildx: async () => ({ ...capable, installed: false }),
        missingBinfmt: () => ["qemu-aarch64"],
        registryAnswers: async () => false,
      }),
    );
    expect(unmet.map((entry) => entry.requirement)).toEqual(["local-registry"]);
  });
});

describe("checkRequirements", () => {
  const example = {
    name: "multi-arch",
    dir: "/nowhere",
    manifest: { requires: ["local-registry"] },
  } as unknown as LoadedExample;

  it("stops with REQUIREMENT_MISSING, the problem and the fix", async () => {
    const failure = checkRequirements(example, {} as Engine, probes({ registryAnswers: async () => false }));
    await expect(failure).rejects.toMatchObject({
      code: "REQUIREMENT_MISSING",
      exitCode: 2,
      message: expect.stringContaining("no registry answers on localhost:5000"),
      hint: expect.stringContaining(
        "docker run -d --restart unless-stopped -p 5000:5000 --name registry registry:3",
      ),
    });
  });

  it("passes when nothing is missing", async () => {
    await expect(checkRequirements(example, {} as Engine, probes())).resolves.toBeUndefined();
  });
});
