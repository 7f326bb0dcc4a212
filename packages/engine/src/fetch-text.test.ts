import { spawn } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

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
