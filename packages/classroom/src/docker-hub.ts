import { networkFailure } from "@bct/errors";
/** Docker Hub's anonymous pull limit, read from the registry's ratelimit-* headers (a HEAD does not count as a pull). */

export interface RateLimit {
  /** Pulls left in the current window. */
  remaining: number;
  limit: number | undefined;
  windowSeconds: number | undefined;
}

export type HubAnswer =
  | { reachable: false; reason: string }
  | { reachable: true; rateLimit: RateLimit | undefined };

export interface HubEndpoints {
  authUrl: string;
  registryUrl: string;
}

export const DOCKER_HUB: HubEndpoints = {
  authUrl: "https://auth.docker.io/token",
  registryUrl: "https://registry-1.docker.io",
};

/**
 * BCT_DOCKER_HUB=http://HOST:PORT points the check at a stand-in (tests use a loopback one, so they never
 * reach for the internet); unset, it is Docker Hub.
 */
export function hubEndpointsFrom(env: Record<string, string | undefined>): HubEndpoints {
  const base = env.BCT_DOCKER_HUB?.replace(/\/+$/, "");
  return base ? { authUrl: `${base}/token`, registryUrl: base } : DOCKER_HUB;
}

/** Docker documents this repository for checking the limit without spending a pull. */
const PROBE_REPOSITORY = "ratelimitpreview/test";

/** "76;w=21600" → { value: 76, window: 21600 } */
export function parseRateLimitHeader(
  value: string | null,
): { value: number; window: number | undefined } | undefined {
  if (!value) return undefined;
  const match = /^\s*(\d+)(?:\s*;\s*w=(\d+))?/.exec(value);
  if (!match) return undefined;
  return { value: Number(match[1]), window: match[2] ? Number(match[2]) : undefined };
}

/** The limit as the ratelimit-remaining and ratelimit-limit headers state it; undefined without the first. */
export function rateLimitFrom(
  remainingHeader: string | null,
  limitHeader: string | null,
): RateLimit | undefined {
  const remaining = parseRateLimitHeader(remainingHeader);
  const limit = parseRateLimitHeader(limitHeader);
  if (!remaining) return undefined;
  return {
    remaining: remaining.value,
    limit: limit?.value,
    windowSeconds: remaining.window ?? limit?.window,
  };
}

export async function dockerHubRateLimit(
  endpoints: HubEndpoints = DOCKER_HUB,
  timeoutMs = 5000,
): Promise<HubAnswer> {
  let token: string;
  try {
    const url = `${endpoints.authUrl}?service=registry.docker.io&scope=repository:${PROBE_REPOSITORY}:pull`;
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { reachable: false, reason: `the token service answered ${response.status}` };
    token = ((await response.json()) as { token?: string }).token ?? "";
  } catch (error) {
    return { reachable: false, reason: networkFailure(error) };
  }
  try {
    const response = await fetch(`${endpoints.registryUrl}/v2/${PROBE_REPOSITORY}/manifests/latest`, {
      method: "HEAD",
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      reachable: true,
      rateLimit: rateLimitFrom(
        response.headers.get("ratelimit-remaining"),
        response.headers.get("ratelimit-limit"),
      ),
    };
  } catch (error) {
    return { reachable: false, reason: networkFailure(error) };
  }
}
