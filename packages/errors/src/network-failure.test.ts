import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { networkFailure } from "./network-failure.ts";

describe("networkFailure", () => {
  it("says a closed socket in words, not undici's code", async () => {
    // A server that closes every connection before answering: fetch fails with UND_ERR_SOCKET.
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((caught: unknown) => caught);
    server.close();
    expect(networkFailure(error)).toBe("the connection was closed without an answer");
  });

  it("says a refused connection in words", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((caught: unknown) => caught);
    expect(networkFailure(error)).toBe("connection refused: nothing listens there");
  });

  it("keeps a message it has no words for", () => {
    expect(networkFailure(new Error("bad things"))).toBe("bad things");
  });
});
