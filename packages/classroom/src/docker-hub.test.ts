import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerHubRateLimit, parseRateLimitHeader } from "./docker-hub.ts";

describe("parseRateLimitHeader", () => {
  it("reads the value and the window", () => {
    expect(parseRateLimitHeader("76;w=21600")).toEqual({ value: 76, window: 21600 });
    expect(parseRateLimitHeader("100")).toEqual({ value: 100, window: undefined });
    expect(parseRateLimitHeader(null)).toBeUndefined();
    expect(parseRateLimitHeader("soon")).toBeUndefined();
  });
});

describe("dockerHubRateLimit against a local stand-in for the token service and the registry", () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ""}`);
      if (request.url?.startsWith("/token")) {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ token: "t0k3n" }));
        return;
      }
      response.setHeader("ratelimit-limit", "100;w=21600");
      response.setHeader("ratelimit-remaining", "76;w=21600");
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("asks for an anonymous token, then reads the headers of a HEAD on the probe manifest", async () => {
    const answer = await dockerHubRateLimit({ authUrl: `${base}/token`, registryUrl: base });
    expect(answer).toEqual({
      reachable: true,
      rateLimit: { remaining: 76, limit: 100, windowSeconds: 21600 },
    });
    expect(seen).toEqual([
      "GET /token?service=registry.docker.io&scope=repository:ratelimitpreview/test:pull ",
      "HEAD /v2/ratelimitpreview/test/manifests/latest Bearer t0k3n",
    ]);
  });

  it("says 'not reachable' with the reason when nothing answers", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const answer = await dockerHubRateLimit(
      { authUrl: `http://127.0.0.1:${port}/token`, registryUrl: `http://127.0.0.1:${port}` },
      2000,
    );
    expect(answer.reachable).toBe(false);
    expect(answer.reachable ? "" : answer.reason).toBe("connection refused: nothing listens there");
  });
});

// The upstream workflow reaches Docker Hub: there the parser meets the headers Docker Hub sends today.
describe.runIf(process.env.BCT_IMAGES === "upstream")("the real Docker Hub (BCT_IMAGES=upstream)", () => {
  it("answers an anonymous HEAD with ratelimit headers the parser reads", async () => {
    const answer = await dockerHubRateLimit();
    expect(answer).toMatchObject({
      reachable: true,
      rateLimit: {
        remaining: expect.any(Number),
        limit: expect.any(Number),
        windowSeconds: expect.any(Number),
      },
    });
  });
});
