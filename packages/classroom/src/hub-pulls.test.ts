import { describe, expect, it } from "vitest";
import { type HubAnswer, parseRateLimitHeader, rateLimitFrom } from "./docker-hub.ts";
import { type HubPull, isDockerHubImage, pullBudget } from "./hub-pulls.ts";

/**
 * Header values exactly as Docker Hub sent them to anonymous HEADs of ratelimitpreview/test, captured in
 * public reports: gist.github.com/jeversol/369009aaad4cd2cd8e2610fa68d4c4be (2023-08-23, an exhausted
 * address) and hub.docker.com/r/fabianonunes/hub-ratelimit (an anonymous run). The live headers are
 * checked by the upstream workflow (docker-hub.test.ts with BCT_IMAGES=upstream).
 */
const CAPTURED = {
  sixHourWindow: { limit: "100;w=21600", remaining: "89;w=21600" },
  exhausted: { limit: "100;w=21600", remaining: "0;w=21600" },
};

const answerFrom = (headers: { limit: string; remaining: string }): HubAnswer => ({
  reachable: true,
  rateLimit: rateLimitFrom(headers.remaining, headers.limit),
});

const course: HubPull[] = [
  { ref: "alpine:3.24", platform: "linux/amd64" },
  { ref: "alpine:3.24", platform: "linux/arm64" },
  { ref: "alpine:3.24", platform: "linux/arm/v7" },
  { ref: "golang:1.27", platform: "linux/amd64" },
  { ref: "nginx:1.30-alpine", platform: "linux/amd64" },
  { ref: "hello-world:latest", platform: "linux/amd64" },
];

describe("the Docker Hub pull budget, from captured rate-limit headers", () => {
  it("parses the captured form: a count, then the window in seconds", () => {
    expect(parseRateLimitHeader(CAPTURED.sixHourWindow.remaining)).toEqual({ value: 89, window: 21600 });
    expect(answerFrom(CAPTURED.exhausted)).toEqual({
      reachable: true,
      rateLimit: { remaining: 0, limit: 100, windowSeconds: 21600 },
    });
  });

  it("says the pulls fit when enough are left", () => {
    expect(pullBudget(course, answerFrom(CAPTURED.sixHourWindow))).toEqual({
      status: "ok",
      detail:
        "6 Docker Hub pulls still needed (alpine:3.24 amd64+arm64+arm/v7, golang:1.27 amd64, nginx:1.30-alpine amd64, hello-world:latest amd64); 89 of 100 pulls left per 6 h for this address: they fit",
    });
  });

  it("recommends images load --from when they do not fit", () => {
    const budget = pullBudget(course, answerFrom(CAPTURED.exhausted));
    expect(budget.status).toBe("fail");
    expect(budget.detail).toMatch(/; only 0 of 100 pulls left per 6 h for this address: they do not fit$/);
    expect(budget.fix).toBe(
      "ask your trainer for their images server and run: pnpm images load --from http://TRAINER-ADDRESS:4300 (or docker login: 100 pulls per hour)",
    );
    expect(pullBudget(course.slice(0, 1), answerFrom(CAPTURED.exhausted)).status).toBe("fail");
  });

  it("degrades cleanly offline: the count, the reason, and the same recommendation", () => {
    const budget = pullBudget(course, { reachable: false, reason: "the host name does not resolve" });
    expect(budget).toMatchObject({ status: "fail", fix: expect.stringContaining("pnpm images load --from") });
    expect(budget.detail).toMatch(
      /^6 Docker Hub pulls still needed \(.+\); Docker Hub is not reachable \(the host name does not resolve\)$/,
    );
    expect(pullBudget([], { reachable: false, reason: "the host name does not resolve" })).toEqual({
      status: "ok",
      detail: "every course image is here; no Docker Hub pull needed",
    });
  });

  it("counts only images that come from Docker Hub", () => {
    expect(
      ["alpine:3.24", "curlimages/curl:8.21.0", "docker.io/library/bash:5.3"].every(isDockerHubImage),
    ).toBe(true);
    expect(
      ["localhost:5000/app:1", "ghcr.io/org/app:1", "registry.example:5000/x"].some(isDockerHubImage),
    ).toBe(false);
  });
});
