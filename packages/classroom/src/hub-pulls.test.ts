import { describe, expect, it } from "vitest";
import { type HubAnswer, parseRateLimitHeader, rateLimitFrom } from "./docker-hub.ts";
import { type HubPull, isDockerHubImage, pullBudget } from "./hub-pulls.ts";

/** Header values as Docker Hub sent them to anonymous HEADs of ratelimitpreview/test (recorded in public reports). */
const RECORDED = {
  sixHourWindow: { limit: "100;w=21600", remaining: "76;w=21600" },
  exhausted: { limit: "100;w=21600", remaining: "0;w=21600" },
  hourly: { limit: "10;w=3600", remaining: "4;w=3600" },
  noSemicolon: { limit: "200=21600", remaining: "196;w=21600" },
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

describe("the Docker Hub pull budget, from recorded rate-limit headers", () => {
  it("parses every recorded form", () => {
    expect(parseRateLimitHeader(RECORDED.hourly.limit)).toEqual({ value: 10, window: 3600 });
    expect(parseRateLimitHeader(RECORDED.noSemicolon.limit)).toEqual({ value: 200, window: undefined });
    expect(answerFrom(RECORDED.noSemicolon)).toEqual({
      reachable: true,
      rateLimit: { remaining: 196, limit: 200, windowSeconds: 21600 },
    });
  });

  it("says the pulls fit when enough are left", () => {
    expect(pullBudget(course, answerFrom(RECORDED.sixHourWindow))).toEqual({
      status: "ok",
      detail:
        "6 Docker Hub pulls still needed (alpine:3.24 amd64+arm64+arm/v7, golang:1.27 amd64, nginx:1.30-alpine amd64, hello-world:latest amd64); 76 of 100 pulls left per 6 h for this address: they fit",
    });
  });

  it("recommends images load --from when they do not fit", () => {
    const budget = pullBudget(course, answerFrom(RECORDED.hourly));
    expect(budget.status).toBe("fail");
    expect(budget.detail).toMatch(/; only 4 of 10 pulls left per 1 h for this address: they do not fit$/);
    expect(budget.fix).toBe(
      "ask your trainer for their images server and run: pnpm images load --from http://TRAINER-ADDRESS:4300 (or docker login: 100 pulls per hour)",
    );
    expect(pullBudget(course.slice(0, 1), answerFrom(RECORDED.exhausted)).status).toBe("fail");
  });

  it("degrades cleanly offline: the count, the reason, and the same recommendation", () => {
    const budget = pullBudget(course, { reachable: false, reason: "ENOTFOUND" });
    expect(budget).toMatchObject({ status: "fail", fix: expect.stringContaining("pnpm images load --from") });
    expect(budget.detail).toMatch(
      /^6 Docker Hub pulls still needed \(.+\); Docker Hub is not reachable \(ENOTFOUND\)$/,
    );
    expect(pullBudget([], { reachable: false, reason: "ENOTFOUND" })).toEqual({
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
