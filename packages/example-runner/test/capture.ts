import { randomBytes } from "node:crypto";
import { Console } from "@bct/cli";
import { main } from "../src/main.ts";

/** A Console whose stdout and stderr are kept as text, without colour. */
export function capturedConsole(): { console: Console; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const console = new Console(
    { write: (text: string) => out.push(text) },
    { write: (text: string) => err.push(text) },
    { NO_COLOR: "1" },
  );
  return { console, stdout: () => out.join(""), stderr: () => err.join("") };
}

/** Runs `pnpm example <argv>` in-process with a known session id; returns its exit code and what it printed. */
export async function runMainCaptured(
  prefix: string,
  argv: string[],
  env: Record<string, string | undefined> = process.env,
) {
  const sessionId = `${prefix}-${randomBytes(4).toString("hex")}`;
  const { console, stdout, stderr } = capturedConsole();
  let code: number | undefined;
  let error: unknown;
  try {
    code = await main(argv, console, { env: { ...env, BCT_SESSION_ID: sessionId } });
  } catch (caught) {
    error = caught;
  }
  return { code, error, stdout: stdout(), stderr: stderr(), sessionId };
}
