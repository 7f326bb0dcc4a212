import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { KitError } from "@bct/engine";
import { marpCli } from "@marp-team/marp-cli";

export interface MarpRender {
  markdownFile: string;
  output: string;
  themeFile: string;
  format: "html" | "pdf";
  /** Required for PDF; HTML needs no browser. */
  browserPath?: string;
}

/** Offline (no emoji CDN, no math fonts) and with soft line breaks kept soft, as in any markdown. */
export const MARP_OPTIONS = {
  emoji: { shortcode: false, unicode: false },
  math: false,
  minifyCSS: false,
  markdown: { breaks: false },
} as const;

/** Converts the resolved markdown with marp-cli and our theme. */
export async function renderWithMarp(render: MarpRender): Promise<void> {
  const configFile = join(render.output, "..", `.marp-${render.format}.json`);
  const config = {
    inputDir: undefined,
    theme: render.themeFile,
    output: render.output,
    allowLocalFiles: true,
    html: true,
    lang: "en",
    bespoke: { progress: true },
    options: MARP_OPTIONS,
    ...(render.format === "pdf"
      ? { pdf: true, browser: "chrome", browserPath: render.browserPath, browserTimeout: 120 }
      : {}),
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  let code: number;
  const warn = console.warn;
  // The PDF needs the deck's own images (assets/), hence allowLocalFiles; Marp then warns on every build
  // that local files are readable, which is the point here: that one line is dropped, every other stays.
  console.warn = (...args: unknown[]) => {
    if (!args.some((arg) => String(arg).includes("Insecure local file accessing is enabled"))) warn(...args);
  };
  try {
    code = await marpCli(["--config-file", configFile, "--no-stdin", render.markdownFile]);
  } catch (error) {
    throw new KitError(
      "COMMAND_FAILED",
      `Marp could not write ${render.output}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    console.warn = warn;
  }
  if (code !== 0) throw new KitError("COMMAND_FAILED", `Marp exited with ${code} writing ${render.output}`);
}
