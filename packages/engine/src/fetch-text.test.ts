import { spawn } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { networkFailure } from "@bct/errors";
import { afterAll, describe, expect, it } from "vitest";
import { fetchText } from "./wait.ts";

const waitModule = fileURLToPath(new URL("./wait.ts", import.meta.url));
const held: Socket[] = [];
// Accepts connections and never answers: what a server listening on the wrong port looks like behind a proxy.
const silent = createServer((socket) => held.push(socket));
await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
const port = (silent.address() as { port: number }).port;
afterAll(() => {
  for (const socket of held) socket.destroy();
  silent.close();
});

describe("fetchText in a process of its own", () => {
  it("times out with an error instead of leaving a top-level await unsettled (exit 13)", async () => {
    const script = [
      `import { fetchText } from ${JSON.stringify(waitModule)};`,
      "try {",
      `  await fetchText("http://127.0.0.1:${port}/", 300);`,
      '  console.log("answered");',
      "} catch (error) {",
      "  console.log(`failed: ${error.cause?.message ?? error.message}`);",
      "}",
    ].join("\n");
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
    } as never);
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: "failed: no answer within 0.3 s" });
  });
});

describe("networkFailure on fetchText's errors", () => {
  const failureOf = async (url: string) => {
    try {
      await fetchText(url, 1000);
    } catch (error) {
      return networkFailure(error);
    }
    throw new Error(`${url} answered`);
  };

  it("says in words that nothing listens, or that the connection closed, never an error code", async () => {
    const closing = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
    const closingPort = (closing.address() as { port: number }).port;
    const refusing = createServer();
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const refusedPort = (refusing.address() as { port: number }).port;
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
    try {
      expect(await failureOf(`http://127.0.0.1:${closingPort}/`)).toBe(
        "the connection was closed without an answer",
      );
      expect(await failureOf(`http://127.0.0.1:${refusedPort}/`)).toBe(
        "connection refused: nothing listens there",
      );
      expect(await failureOf(`http://127.0.0.1:${port}/`)).toBe("no answer within 1 s");
    } finally {
      closing.close();
    }
  });
});
