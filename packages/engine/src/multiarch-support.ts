import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fetchText } from "./wait.ts";

/** What a multi-platform `docker buildx` build needs from the host, probed without changing anything. */

export const MULTIARCH_PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7"] as const;

/** qemu's binfmt_misc entries that let an amd64 kernel run arm64 and arm/v7 binaries. */
export const BINFMT_ENTRIES = { "linux/arm64": "qemu-aarch64", "linux/arm/v7": "qemu-arm" } as const;

export const BINFMT_ROOT = "/proc/sys/fs/binfmt_misc";

export interface BinfmtEntry {
  name: string;
  enabled: boolean;
  interpreter: string | undefined;
  flags: string;
}

/** Reads one binfmt_misc entry; `undefined` when it is not registered (or binfmt_misc is not mounted). */
export function readBinfmtEntry(name: string, root = BINFMT_ROOT): BinfmtEntry | undefined {
  let text: string;
  try {
    text = readFileSync(`${root}/${name}`, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const field = (key: string) =>
    lines
      .find((line) => line.startsWith(`${key} `))
      ?.slice(key.length + 1)
      .trim();
  return {
    name,
    enabled: lines[0]?.trim() === "enabled",
    interpreter: field("interpreter"),
    flags: field("flags:") ?? "",
  };
}

/** The qemu entries that are missing or disabled, e.g. ["qemu-arm"]. */
export function missingBinfmtEntries(root = BINFMT_ROOT): string[] {
  return Object.values(BINFMT_ENTRIES).filter((name) => readBinfmtEntry(name, root)?.enabled !== true);
}

export type Environment = Record<string, string | undefined>;

export interface CommandOutcome {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws (a missing binary is `ok: false`). */
export function runQuietly(
  file: string,
  args: string[],
  env: Environment = process.env,
  timeoutMs = 20_000,
): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          ok: !error,
          stdout: String(stdout),
          stderr: String(stderr || (error && !stdout ? error.message : "")),
        });
      },
    );
  });
}

export interface BuildxStatus {
  installed: boolean;
  version: string | undefined;
  builder: string | undefined;
  driver: string | undefined;
  /** As the builder reports them. */
  listedPlatforms: string[];
  /** Listed, plus what the docker driver builds through the host's qemu when buildkit's probe omits it. */
  buildablePlatforms: string[];
  containerdImageStore: boolean;
  /**
   * Whether the builder reaches the host's loopback, where the course registry listens: BuildKit inside
   * dockerd (docker driver) does; a docker-container builder only with `--driver-opt network=host`
   * (docker/buildx#94); other drivers are not known to.
   */
  reachesHostRegistry: boolean;
  /** Why buildable differs from listed, when it does. */
  note: string | undefined;
}

/** Parses `docker buildx inspect` text: the builder's name, driver and platforms. */
export function parseBuildxInspect(text: string): {
  name?: string;
  driver?: string;
  platforms: string[];
  hostNetwork: boolean;
} {
  const value = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, "m").exec(text)?.[1]?.trim();
  const platforms = [...text.matchAll(/^Platforms:\s*(.*)$/gm)]
    .flatMap((match) => (match[1] ?? "").split(","))
    .map((platform) => platform.trim().replace(/\*$/, ""))
    .filter(Boolean);
  const hostNetwork = /^Driver Options:.*\bnetwork="?host"?/m.test(text);
  return { name: value("Name"), driver: value("Driver"), platforms: [...new Set(platforms)], hostNetwork };
}

/** What buildxStatus says of a host without the buildx plugin. */
export function buildxMissing(note?: string): BuildxStatus {
  return {
    installed: false,
    version: undefined,
    builder: undefined,
    driver: undefined,
    listedPlatforms: [],
    buildablePlatforms: [],
    containerdImageStore: false,
    reachesHostRegistry: false,
    note,
  };
}

/** The current buildx builder and the platforms it can build, without changing anything. */
export async function buildxStatus(
  env: Environment = process.env,
  binfmtRoot = BINFMT_ROOT,
): Promise<BuildxStatus> {
  const version = await runQuietly("docker", ["buildx", "version"], env);
  if (!version.ok) return buildxMissing(version.stderr.trim().split("\n")[0]);
  const [inspect, info] = await Promise.all([
    runQuietly("docker", ["buildx", "inspect"], env),
    runQuietly("docker", ["info", "--format", "{{json .DriverStatus}}"], env),
  ]);
  const parsed = parseBuildxInspect(inspect.stdout);
  const containerdImageStore = info.stdout.includes("io.containerd.snapshotter");
  const buildable = new Set(parsed.platforms);
  let note: string | undefined;
  if (parsed.driver === "docker" && containerdImageStore) {
    // BuildKit inside dockerd runs foreign binaries through the host's binfmt entries, and its own probe
    // leaves linux/arm/v7 out of the list even when qemu-arm is registered (seen with Docker 26 + buildx 0.13).
    for (const [platform, entry] of Object.entries(BINFMT_ENTRIES)) {
      if (!buildable.has(platform) && readBinfmtEntry(entry, binfmtRoot)?.enabled) {
        buildable.add(platform);
        note = `${platform} through the host's ${entry} binfmt entry`;
      }
    }
  }
  return {
    installed: true,
    version: version.stdout.trim().split(/\s+/)[1],
    builder: parsed.name,
    driver: parsed.driver,
    listedPlatforms: parsed.platforms,
    buildablePlatforms: [...buildable],
    containerdImageStore,
    reachesHostRegistry:
      parsed.driver === "docker" || (parsed.driver === "docker-container" && parsed.hostNetwork),
    note,
  };
}

/** Which of `wanted` the builder cannot build. The docker driver without the containerd store builds one platform only. */
export function unbuildablePlatforms(
  status: BuildxStatus,
  wanted: readonly string[] = MULTIARCH_PLATFORMS,
): string[] {
  if (!status.installed) return [...wanted];
  if (status.driver === "docker" && !status.containerdImageStore) return [...wanted];
  return wanted.filter((platform) => !status.buildablePlatforms.includes(platform));
}

/** True when an OCI distribution registry answers on the address (200, or 401 when it wants a login). */
export async function registryAnswers(address = "127.0.0.1:5000", timeoutMs = 2000): Promise<boolean> {
  try {
    const answer = await fetchText(`http://${address}/v2/`, timeoutMs);
    return answer.status === 200 || answer.status === 401;
  } catch {
    return false;
  }
}

/** A docker-container builder on the host's network, so that it can push to the course registry on localhost:5000. */
export const CONTAINER_BUILDER_CREATE =
  "docker buildx create --name bct-multiarch --driver docker-container --driver-opt network=host " +
  "--platform linux/amd64,linux/arm64,linux/arm/v7 --use --bootstrap";

/** The exact commands that fix each missing piece, for error messages and `pnpm exec doctor`. */
export const MULTIARCH_FIX = {
  buildx:
    "Install the buildx plugin: sudo apt-get install docker-buildx (Debian/Ubuntu), or see https://docs.docker.com/build/install-buildx/",
  binfmt:
    "Register qemu for arm64 and arm/v7: sudo apt-get install qemu-user-static binfmt-support && sudo update-binfmts --enable " +
    "(in a dev container: bash .devcontainer/post-start.sh)",
  builder:
    "Use a builder that builds linux/amd64, linux/arm64 and linux/arm/v7: enable the containerd image store " +
    '({"features":{"containerd-snapshotter":true}} in /etc/docker/daemon.json, then restart dockerd), or ' +
    `${CONTAINER_BUILDER_CREATE}`,
  pushBuilder:
    "Use a builder that reaches the registry on localhost:5000: the default builder (docker buildx use default, with the " +
    "containerd image store), or a docker-container builder on the host's network: " +
    `docker buildx rm bct-multiarch; ${CONTAINER_BUILDER_CREATE}`,
  registry:
    "Start the course registry: docker run -d --restart unless-stopped -p 5000:5000 --name registry registry:3",
} as const;
