import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classRequest } from "@bct/attendee";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../../deck/src/browser.ts";
import { course, joinAs, post, type RunningClass, startClass, tempDir } from "./class-harness.ts";

const chromiumPath = findChromium();
const reason = "Chromium not found (apt-get install chromium, or set CHROME_PATH)";
if (!chromiumPath && process.env.CI) throw new Error(`CI is set but ${reason}`);
if (!chromiumPath) process.stderr.write(`[ SKIP ] classroom dashboard tests: ${reason}\n`);

describe.skipIf(!chromiumPath)("the class page in Chromium, while simulated attendees post", () => {
  const work = tempDir("bct-dashboard-");
  const profile = mkdtempSync(join(tmpdir(), "bct-dashboard-chromium-"));
  let running: RunningClass;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    running = await startClass(join(work.dir, "class.db"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (request) => requests.push(request.url()));
  });
  afterAll(async () => {
    await context?.close();
    await running?.close();
    rmSync(profile, { recursive: true, force: true });
    work.remove();
  });

  const cell = (attendeeId: string, key: string) =>
    page.locator(`tr[data-attendee="${attendeeId}"] td[data-key="${key}"]`);
  const count = (key: string) => page.locator(`tfoot td[data-key="${key}"]`);

  it("shows the join code and command, then updates the grid live", async () => {
    await page.goto(`${running.url}/?key=${running.room.trainerKey}`);
    await expect.poll(() => page.locator("#code").textContent()).toBe(running.room.code);
    expect(await page.locator("#join-command").textContent()).toBe(
      `pnpm classroom join ${running.url}/join/${running.room.code} --name YOUR-NAME`,
    );
    await expect.poll(() => page.locator("#connection").textContent()).toBe("live");
    expect(await page.locator("tbody tr").count()).toBe(0);
    expect(await page.locator("thead th").count()).toBe(1 + course.length);

    const ada = await joinAs(running.url, running.room.code, "Ada");
    const bob = await joinAs(running.url, running.room.code, "Bob");
    const ids = (await classRequest(running.url, running.gridPath)).body as {
      attendees: { id: string; name: string }[];
    };
    const adaId = ids.attendees.find((a) => a.name === "Ada")!.id;
    const bobId = ids.attendees.find((a) => a.name === "Bob")!.id;
    await expect.poll(() => page.locator("tbody tr").count()).toBe(2);

    await post(running.url, ada, [{ kind: "example", id: "hello-world", ok: true, durationMs: 900 }]);
    await expect.poll(() => cell(adaId, "example:hello-world").textContent()).toBe("✓");
    expect(await count("example:hello-world").textContent()).toBe("1/2");

    await post(running.url, bob, [{ kind: "example", id: "hello-world", ok: false, durationMs: 900 }]);
    await expect.poll(() => cell(bobId, "example:hello-world").getAttribute("class")).toBe("fail");
    await post(running.url, bob, [{ kind: "example", id: "hello-world", ok: true, durationMs: 700 }]);
    await expect.poll(() => count("example:hello-world").textContent()).toBe("2/2");

    await post(running.url, ada, [
      { kind: "criterion", id: "dockerfile", ok: true, durationMs: 3 },
      { kind: "criterion", id: "builds", ok: false, durationMs: 4000 },
    ]);
    await expect.poll(() => cell(adaId, "criterion:builds").textContent()).toBe("✗");
    expect(await count("criterion:dockerfile").textContent()).toBe("1/2");
    expect(await count("criterion:builds").textContent()).toBe("0/2");

    await classRequest(running.url, "/api/help", { token: bob, body: { needsHelp: true } });
    await expect
      .poll(() => page.locator(`tr[data-attendee="${bobId}"]`).getAttribute("class"))
      .toContain("help");
    expect(await page.locator(`tr[data-attendee="${bobId}"] .flag`).textContent()).toBe("needs help");
    expect(await page.locator("#summary").textContent()).toBe("2 attendee(s), 1 needs help");
    await page.screenshot({ path: join(work.dir, "dashboard.png") });
  });

  it("shows a name full of markup as text: no element, no script", async () => {
    const name = "<img src=x onerror=document.title=1>&lt;";
    await joinAs(running.url, running.room.code, name);
    await expect.poll(() => page.locator("tbody tr").count()).toBe(3);
    expect(await page.locator("tbody img").count()).toBe(0);
    expect(await page.locator("tbody th", { hasText: "<img" }).textContent()).toBe(name);
    expect(await page.title()).toBe("Class view");
    expect(requests.every((url) => url.startsWith(running.url))).toBe(true);
  });

  it("picks up again after the server restarts, even after a refusal, with the class as it was", async () => {
    const port = new URL(running.url).port;
    await running.close();
    await expect.poll(() => page.locator("#connection").textContent()).toBe("reconnecting…");
    // First something that refuses the live view (an EventSource gives up on an error status for good).
    const { createServer } = await import("node:http");
    let refusals = 0;
    const refusing = createServer((_request, response) => {
      refusals++;
      response.writeHead(503, { "content-type": "application/json" });
      response.end('{"error":"busy"}');
    });
    await new Promise<void>((resolve) => refusing.listen(Number(port), "127.0.0.1", resolve));
    await expect.poll(() => refusals, { timeout: 15_000 }).toBeGreaterThan(0);
    await new Promise<void>((resolve) => {
      refusing.closeAllConnections();
      refusing.close(() => resolve());
    });
    const { createClassServer } = await import("../src/class-server.ts");
    const { ClassRoom } = await import("../src/class-state.ts");
    const { listenOn } = await import("../src/listen.ts");
    const room = ClassRoom.open(running.file, running.room.columns);
    const server = createClassServer({ room, joinUrls: () => [running.url] });
    await listenOn(server, Number(port), "127.0.0.1");
    running = {
      ...running,
      room,
      server,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
    await expect.poll(() => page.locator("#connection").textContent(), { timeout: 15_000 }).toBe("live");
    expect(await page.locator("tbody tr").count()).toBe(3);
    expect(await count("example:hello-world").textContent()).toBe("2/3");
  });
});
