import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type BuildxStatus,
  missingBinfmtEntries,
  parseBuildxInspect,
  readBinfmtEntry,
  unbuildablePlatforms,
} from "./multiarch-support.ts";

const inspectText = `Name:          default
Driver:        docker
Last Activity: 2026-11-28 18:32:44 +0000 UTC

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.0.0+unknown
Platforms:        linux/amd64, linux/amd64/v2, linux/arm64, linux/riscv64
Labels:
 org.mobyproject.buildkit.worker.executor: containerd
`;

function binfmtDir(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bct-binfmt-"));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return dir;
}

const status = (overrides: Partial<BuildxStatus>): BuildxStatus => ({
  installed: true,
  version: "v0.13.1",
  builder: "default",
  driver: "docker",
  listedPlatforms: [],
  buildablePlatforms: [],
  containerdImageStore: true,
  reachesHostRegistry: true,
  note: undefined,
  ...overrides,
});

describe("parseBuildxInspect", () => {
  it("reads the builder name, driver and platforms", () => {
    expect(parseBuildxInspect(inspectText)).toEqual({
      name: "default",
      driver: "docker",
      platforms: ["linux/amd64", "linux/amd64/v2", "linux/arm64", "linux/riscv64"],
      hostNetwork: false,
    });
  });

  // As buildx 0.29.1 prints a docker-container builder created with and without --driver-opt network=host.
  const containerBuilder = (options: string) => `Name:          bct-probe
Driver:        docker-container
Last Activity: 2026-12-01 08:59:00 +0000 UTC

Nodes:
Name:                  bct-probe0
Endpoint:              unix:///var/run/docker.sock
${options}Status:                inactive
`;

  it("tells a docker-container builder on the host's network from one in its own", () => {
    expect(parseBuildxInspect(containerBuilder('Driver Options:        network="host"\n')).hostNetwork).toBe(
      true,
    );
    expect(parseBuildxInspect(containerBuilder("")).hostNetwork).toBe(false);
  });

  it("drops the asterisk buildx puts on platforms a builder was created with", () => {
    const text = "Name: x\nDriver: docker-container\nPlatforms: linux/amd64*, linux/arm64*, linux/arm/v7*\n";
    expect(parseBuildxInspect(text).platforms).toEqual(["linux/amd64", "linux/arm64", "linux/arm/v7"]);
  });
});

describe("binfmt entries", () => {
  it("reads an enabled entry with its interpreter and flags", () => {
    const dir = binfmtDir({
      "qemu-arm": "enabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\nflags: PF\noffset 0\n",
    });
    expect(readBinfmtEntry("qemu-arm", dir)).toEqual({
      name: "qemu-arm",
      enabled: true,
      interpreter: "/usr/libexec/qemu-binfmt/arm-binfmt-P",
      flags: "PF",
    });
  });

  it("lists missing and disabled entries", () => {
    const dir = binfmtDir({ "qemu-aarch64": "disabled\ninterpreter /x\nflags: F\n" });
    expect(missingBinfmtEntries(dir)).toEqual(["qemu-aarch64", "qemu-arm"]);
  });
});

describe("unbuildablePlatforms", () => {
  it("is empty when all three are buildable", () => {
    const ok = status({ buildablePlatforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"] });
    expect(unbuildablePlatforms(ok)).toEqual([]);
  });

  it("names what is missing", () => {
    expect(unbuildablePlatforms(status({ buildablePlatforms: ["linux/amd64", "linux/arm64"] }))).toEqual([
      "linux/arm/v7",
    ]);
  });

  it("treats the docker driver without the containerd image store as single-platform", () => {
    const classic = status({
      containerdImageStore: false,
      buildablePlatforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"],
    });
    expect(unbuildablePlatforms(classic)).toHaveLength(3);
  });

  it("treats a missing buildx as unable to build anything", () => {
    expect(unbuildablePlatforms(status({ installed: false }))).toHaveLength(3);
  });
});
