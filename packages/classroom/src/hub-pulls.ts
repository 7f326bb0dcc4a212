import { type Engine, MULTIARCH_PLATFORMS, runQuietly } from "@bct/engine";
import type { CourseImage } from "@bct/example-runner";
import type { HubAnswer } from "./docker-hub.ts";
import { IMAGES_PORT } from "./image-defaults.ts";

/** One pull Docker Hub counts: an image for one platform (a multi-arch pull counts once per architecture). */
export interface HubPull {
  ref: string;
  platform: string;
}

/** Folder of the example that builds for every platform of MULTIARCH_PLATFORMS: its base images are pulled once per platform. */
const MULTI_ARCH_EXAMPLE = "examples/multi-arch/";

/** Images whose references carry no registry host come from Docker Hub. */
export function isDockerHubImage(ref: string): boolean {
  const first = ref.split("/")[0]!;
  return (
    !ref.includes("/") ||
    !(first.includes(".") || first.includes(":") || first === "localhost") ||
    first === "docker.io"
  );
}

/** The Docker Hub pulls the course still needs on this engine: each missing image, per platform it is used for. */
export async function pullsStillNeeded(
  engine: Engine,
  images: CourseImage[],
  env: Record<string, string | undefined>,
): Promise<HubPull[]> {
  const version = await engine.version();
  const host = `${version.os}/${version.arch === "arm" ? "arm/v7" : version.arch}`;
  const needed: HubPull[] = [];
  for (const image of images.filter((candidate) => isDockerHubImage(candidate.ref))) {
    const platforms = image.usedBy.some(
      (file) => file.startsWith(MULTI_ARCH_EXAMPLE) && /Dockerfile/.test(file),
    )
      ? [host, ...MULTIARCH_PLATFORMS.filter((platform) => platform !== host)]
      : [host];
    for (const platform of platforms) {
      const present =
        platform === host
          ? await engine.images.exists(image.ref)
          : (
              await runQuietly(
                "docker",
                ["image", "inspect", "--platform", platform, "--format", "{{.Id}}", image.ref],
                engine.cliEnvironment(env),
              )
            ).ok;
      if (!present) needed.push({ ref: image.ref, platform });
    }
  }
  return needed;
}

export interface PullBudget {
  status: "ok" | "fail" | "skip";
  detail: string;
  fix?: string;
}

export const LOAD_FROM_FIX = `ask your trainer for their images server and run: pnpm images load --from http://TRAINER-ADDRESS:${IMAGES_PORT}`;

/** The pulls needed against what Docker Hub says is left; when they do not fit, load from the trainer instead. */
export function pullBudget(needed: HubPull[], answer: HubAnswer): PullBudget {
  const count = needed.length;
  const what = `${count} Docker Hub pull${count === 1 ? "" : "s"} still needed${count > 0 ? ` (${summarize(needed)})` : ""}`;
  if (count === 0) return { status: "ok", detail: "every course image is here; no Docker Hub pull needed" };
  if (!answer.reachable)
    return {
      status: "fail",
      detail: `${what}; Docker Hub is not reachable (${answer.reason})`,
      fix: LOAD_FROM_FIX,
    };
  if (!answer.rateLimit)
    return { status: "ok", detail: `${what}; Docker Hub reports no pull limit (signed in, or a mirror)` };
  const { remaining, limit, windowSeconds } = answer.rateLimit;
  const window = windowSeconds
    ? ` per ${windowSeconds % 3600 === 0 ? `${windowSeconds / 3600} h` : `${windowSeconds} s`}`
    : "";
  const left = `${remaining}${limit !== undefined ? ` of ${limit}` : ""} pulls left${window} for this address`;
  if (remaining >= count) return { status: "ok", detail: `${what}; ${left}: they fit` };
  return {
    status: "fail",
    detail: `${what}; only ${left}: they do not fit`,
    fix: `${LOAD_FROM_FIX} (or docker login: 100 pulls per hour)`,
  };
}

function summarize(needed: HubPull[]): string {
  const byRef = new Map<string, string[]>();
  for (const pull of needed)
    byRef.set(pull.ref, [...(byRef.get(pull.ref) ?? []), pull.platform.replace(/^linux\//, "")]);
  return [...byRef.entries()].map(([ref, platforms]) => `${ref} ${platforms.join("+")}`).join(", ");
}
