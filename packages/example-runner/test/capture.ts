import { Console } from "@bct/cli";

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
