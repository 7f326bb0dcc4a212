import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKitError } from "@bct/engine";
import { afterEach, describe, expect, it } from "vitest";
import { LIVE_RELOAD_PATH } from "../src/live-reload.ts";
import { deckPaths, findRepoRoot } from "../src/paths.ts";
import { type RunningServer, serveDeck } from "../src/serve.ts";
import { fakeExampleSource, fixtureRepo, fixtureTranscripts } from "./fake-examples.ts";

const realTheme = deckPaths(findRepoRoot()).themeFile;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A GET with the path sent exactly as given. */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

async function startOnFixture(
  port = 0,
): Promise<{ server: RunningServer; repo: string; warnings: string[] }> {
  const repo = mkdtempSync(join(tmpdir(), "bct-deck-serve-"));
  cpSync(fixtureRepo, repo, { recursive: true });
  cleanups.push(() => rmSync(repo, { recursive: true, force: true }));
  const warnings: string[] = [];
  const server = await serveDeck({
    paths: { ...deckPaths(repo, join(repo, "dist")), themeFile: realTheme },
    source: fakeExampleSource(fixtureTranscripts),
    port,
    host: "127.0.0.1",
    log: () => {},
    warn: (message) => warnings.push(message),
    debounceMs: 50,
  });
  cleanups.push(() => server.close());
  return { server, repo, warnings };
}

/** Reads server-sent events until one named `reload` arrives. */
async function waitForReloadEvent(
  url: string,
): Promise<{ connected: Promise<void>; reloaded: Promise<void> }> {
  const controller = new AbortController();
  cleanups.push(() => controller.abort());
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  const reloaded = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`event stream ended before a reload: ${seen}`);
      seen += decoder.decode(value, { stream: true });
      if (seen.includes(": connected")) markConnected();
      if (seen.includes("event: reload")) return;
    }
  })();
  return { connected, reloaded };
}

describe("pnpm deck serve", () => {
  it("serves the built deck with the live-reload script, and the diagrams it references", async () => {
    const { server } = await startOnFixture();
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain("Fixture deck");
    expect(body).toContain(`new EventSource("${LIVE_RELOAD_PATH}")`);
    const image = await fetch(new URL("assets/box.svg", server.url));
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    // fetch() would normalise "../" away before sending: send the raw paths, as a hostile client would.
    for (const path of [
      "/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/assets/..%2f..%2f..%2fpackage.json",
    ]) {
      const answer = await rawGet(server.url, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body).not.toContain("root:");
    }
  });

  it("rebuilds when a slide changes and tells open decks to reload on the same port", async () => {
    const { server, repo } = await startOnFixture();
    const events = await waitForReloadEvent(new URL(LIVE_RELOAD_PATH, server.url).href);
    await events.connected;
    const rebuilt = server.nextRebuild();
    const slide = join(repo, "packages", "deck", "slides", "10-part.md");
    writeFileSync(slide, `${readFileSync(slide, "utf8")}\n---\n\n## Added while serving\n`);
    expect(await rebuilt).toBe("ok");
    await events.reloaded;
    expect(await (await fetch(server.url)).text()).toContain("Added while serving");
  });

  it("keeps serving the last good deck when a change breaks the build", async () => {
    const { server, repo, warnings } = await startOnFixture();
    const rebuilt = server.nextRebuild();
    const slide = join(repo, "packages", "deck", "slides", "10-part.md");
    const broken = `${readFileSync(slide, "utf8")}\n---\n\n<!-- transcript: portz -->\n`;
    writeFileSync(slide, broken);
    const line = broken.split("\n").indexOf("<!-- transcript: portz -->") + 1;
    expect(await rebuilt).toBe("failed");
    expect(warnings.join("\n")).toContain(
      `packages/deck/slides/10-part.md:${line}: unknown example "portz" (did you mean "ports"?)`,
    );
    expect(await (await fetch(server.url)).text()).toContain("Fixture deck");
  });

  it("says who holds the port when it is taken", async () => {
    const { server } = await startOnFixture();
    const error = await startOnFixture(server.port).catch((caught: unknown) => caught);
    expect(isKitError(error) && error.code).toBe("PORT_IN_USE");
    expect((error as Error).message).toMatch(
      new RegExp(`Port ${server.port} on 127.0.0.1 is already in use by .+ \\(pid \\d+\\)`),
    );
  });
});
