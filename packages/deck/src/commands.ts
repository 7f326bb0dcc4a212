import type { CommandSpec } from "@bct/cli";

/** Not 8080, 9090, 1234 or 5000: the examples and the exercise publish those. */
export const DEFAULT_PORT = 4100;

export const deckCommand: CommandSpec = {
  usage: "pnpm deck",
  summary: [
    "The course deck: Marp slides with the examples' files, commands and outputs included at build time.",
    "",
    "Commands:",
    "  build   Write packages/deck/dist/index.html and deck.pdf",
    `  serve   Serve the deck with live reload on one port (default ${DEFAULT_PORT}, all interfaces)`,
  ].join("\n"),
  positionals: ["<build|serve>"],
  options: {},
  examples: ["pnpm deck build", "pnpm deck build --html-only", "pnpm deck serve --port 4100"],
};

export const buildCommand: CommandSpec = {
  usage: "pnpm deck build",
  summary:
    "Resolve the include/transcript directives against examples/ and exercise/, check every example is shown, and write the deck as HTML and PDF (the PDF needs Chromium).",
  options: {
    "html-only": { type: "boolean", description: "Skip the PDF (no browser needed)" },
    out: { type: "string", valueName: "dir", description: "Output folder (default: packages/deck/dist)" },
    json: { type: "boolean", description: "Print the result as JSON on stdout" },
  },
  examples: [
    "pnpm deck build",
    "CHROME_PATH=/usr/bin/chromium pnpm deck build",
    "pnpm deck build --html-only --json",
  ],
};

export const serveCommand: CommandSpec = {
  usage: "pnpm deck serve",
  summary:
    "Build the HTML deck and serve it with live reload; slides, assets, theme, examples and exercise are watched and every open tab reloads after a rebuild. Live reload uses the same port as the deck.",
  options: {
    port: {
      type: "string",
      short: "p",
      valueName: "port",
      description: "Port to listen on",
      default: String(DEFAULT_PORT),
    },
    host: { type: "string", valueName: "address", description: "Address to bind", default: "0.0.0.0" },
  },
  examples: ["pnpm deck serve", "pnpm deck serve --port 4200"],
};
