import { join } from "node:path";
import { classRequest } from "@bct/attendee";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/class-server.ts";
import { ClassRoom, type Grid } from "../src/class-state.ts";
import {
  course,
  courseExamples,
  joinAs,
  post,
  type RunningClass,
  raw,
  startClass,
  tempDir,
} from "./class-harness.ts";

/** The grid without the join URLs (they name the port, which a restart changes). */
const grid = async (running: RunningClass) => {
  const { joinUrls: _, ...view } = (await classRequest(running.url, running.gridPath)).body as Grid & {
    joinUrls: string[];
  };
  return view as Grid;
};

describe("pnpm classroom serve: the class API", () => {
  const work = tempDir("bct-class-");
  let running: RunningClass;
  let ada: string;
  let before: string;

  beforeAll(async () => {
    running = await startClass(join(work.dir, "class.json"), { postRate: { perSecond: 1, burst: 30 } });
    ada = await joinAs(running.url, running.room.code, "Ada");
  });
  afterAll(async () => {
    await running.close();
    work.remove();
  });

  /** What a refused request must leave as it was: the grid and the class file. */
  const snapshot = async () =>
    JSON.stringify(await grid(running)) + JSON.stringify(ClassRoom.read(running.file, running.room.columns));

  it("records a run and a check in the grid, with per-column pass counts", async () => {
    const bob = await joinAs(running.url, running.room.code.toLowerCase(), "Bob");
    expect(
      (await post(running.url, ada, [{ kind: "example", id: "ports", ok: true, durationMs: 1500 }])).status,
    ).toBe(200);
    const check = [
      { kind: "criterion", id: "dockerfile", ok: true, durationMs: 20 },
      { kind: "criterion", id: "builds", ok: false, durationMs: 9000 },
    ];
    expect((await post(running.url, bob, check)).status).toBe(200);
    expect((await post(running.url, ada, check)).status).toBe(200);
    const view = await grid(running);
    expect(view.columns).toHaveLength(course.length);
    expect(view.columns.filter((column) => column.kind === "example")).toHaveLength(courseExamples);
    expect(view.passCounts["example:ports"]).toBe(1);
    expect(view.passCounts["criterion:dockerfile"]).toBe(2);
    expect(view.passCounts["criterion:builds"]).toBe(0);
    const adaRow = view.attendees.find((attendee) => attendee.name === "Ada")!;
    expect(adaRow.cells["example:ports"]).toMatchObject({ ok: true, runs: 1, durationMs: 1500 });
    expect(adaRow.cells["criterion:builds"]).toMatchObject({ ok: false });
    expect(JSON.stringify(view)).not.toContain("tokenHash");
    before = await snapshot();
  });

  it("refuses a wrong join code and changes nothing", async () => {
    const answer = await raw(running.url, "/api/join", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "WRONG1", name: "Eve" }),
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe("Wrong class code.");
    expect(await snapshot()).toBe(before);
  });

  it("refuses a name already taken (any case) and changes nothing", async () => {
    const answer = await classRequest(running.url, "/api/join", {
      body: { code: running.room.code, name: "  ada " },
    });
    expect(answer.status).toBe(409);
    expect((answer.body as { error: string }).error).toBe(
      'The name "ada" is already taken in this class: choose another.',
    );
    expect(await snapshot()).toBe(before);
  });

  it("refuses names that are empty, too long or hold control characters", async () => {
    for (const [name, error] of [
      ["   ", "name: must not be empty."],
      ["x".repeat(41), "name: at most 40 characters."],
      ["Eve\u0007", "name: control or invisible characters are not allowed."],
      ["Eve\u202e", "name: control or invisible characters are not allowed."],
      ["\u200dEve", "name: control or invisible characters are not allowed."],
      ["\u3164", "name: it must show at least one letter, digit or emoji, and nothing blank-looking."],
      ["\u2800\u2800", "name: it must show at least one letter, digit or emoji, and nothing blank-looking."],
      ["Eve\u3164", "name: it must show at least one letter, digit or emoji, and nothing blank-looking."],
    ] as const) {
      const answer = await classRequest(running.url, "/api/join", {
        body: { code: running.room.code, name },
      });
      expect(answer.status).toBe(400);
      expect((answer.body as { error: string }).error).toBe(error);
    }
    expect(await snapshot()).toBe(before);
  });

  it("refuses an unknown example or criterion id, the whole post, and changes nothing", async () => {
    const answer = await post(running.url, ada, [
      { kind: "example", id: "volumes", ok: true, durationMs: 1 },
      { kind: "example", id: "kubernetes", ok: true, durationMs: 1 },
    ]);
    expect(answer.status).toBe(422);
    expect((answer.body as { error: string }).error).toBe(
      'Unknown example "kubernetes": not part of this course.',
    );
    expect(await snapshot()).toBe(before);
  });

  it("refuses malformed results with the path of the bad field, and changes nothing", async () => {
    const cases: [unknown, string][] = [
      [
        { results: [{ kind: "example", id: "ports", ok: "yes", durationMs: 1 }] },
        "results.0.ok: Invalid input: expected boolean, received string",
      ],
      [
        { results: [{ kind: "example", id: "ports", ok: true, durationMs: 1, path: "/home/ada" }] },
        'results.0: Unrecognized key: "path"',
      ],
      [{ results: [] }, "results: Too small: expected array to have >=1 items"],
      [
        { results: [{ kind: "example", id: "../etc", ok: true, durationMs: 1 }] },
        "results.0.id: an example name or criterion id (lower case, digits, -)",
      ],
    ];
    for (const [body, error] of cases) {
      const answer = await classRequest(running.url, "/api/results", { token: ada, body });
      expect(answer.status).toBe(400);
      expect((answer.body as { error: string }).error).toBe(error);
    }
    const notJson = await raw(running.url, "/api/results", {
      headers: { authorization: `Bearer ${ada}`, "content-type": "application/json" },
      body: "{results:",
    });
    expect(notJson).toMatchObject({ status: 400, body: { error: "The body is not valid JSON." } });
    const notJsonType = await raw(running.url, "/api/results", {
      headers: { authorization: `Bearer ${ada}`, "content-type": "text/plain" },
      body: "{}",
    });
    expect(notJsonType.status).toBe(415);
    expect(await snapshot()).toBe(before);
  });

  it("refuses an oversized result and changes nothing", async () => {
    const huge = JSON.stringify({
      results: [{ kind: "example", id: "ports", ok: true, durationMs: 1, pad: "x".repeat(MAX_BODY_BYTES) }],
    });
    const answer = await raw(running.url, "/api/results", {
      headers: { authorization: `Bearer ${ada}`, "content-type": "application/json" },
      body: huge,
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toBe(`The body is larger than ${MAX_BODY_BYTES} bytes.`);
    const tooMany = Array.from({ length: 33 }, () => ({
      kind: "example",
      id: "ports",
      ok: true,
      durationMs: 1,
    }));
    const many = await post(running.url, ada, tooMany);
    expect(many.status).toBe(400);
    expect((many.body as { error: string }).error).toBe(
      "results: Too big: expected array to have <=32 items",
    );
    expect(await snapshot()).toBe(before);
  });

  it("refuses a post without a known token", async () => {
    const answer = await post(running.url, "00ff", [
      { kind: "example", id: "ports", ok: true, durationMs: 1 },
    ]);
    expect(answer.status).toBe(401);
    expect(await snapshot()).toBe(before);
  });

  it("serves nothing but the class page and its API", async () => {
    expect((await raw(running.url, "/etc/passwd", { method: "GET" })).status).toBe(404);
    expect((await raw(running.url, "/api/grid", { method: "POST" })).status).toBe(405);
  });

  it("refuses too many posts per second with Retry-After, keeping only those it accepted", async () => {
    const rita = await joinAs(running.url, running.room.code, "Rita");
    const answers = [];
    for (let index = 0; index < 40; index++)
      answers.push(
        await post(running.url, rita, [
          { kind: "example", id: "env", ok: index % 2 === 0, durationMs: index },
        ]),
      );
    const accepted = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    expect(accepted + refused.length).toBe(40);
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0]!.body as { error: string }).error).toMatch(
      /^Too many posts: wait \d+ s and try again\.$/,
    );
    const cell = (await grid(running)).attendees.find((attendee) => attendee.name === "Rita")!.cells[
      "example:env"
    ];
    expect(cell?.runs).toBe(accepted);
  });

  it("limits wrong join codes from one address", async () => {
    const answers = [];
    for (let index = 0; index < 12; index++)
      answers.push(
        (await classRequest(running.url, "/api/join", { body: { code: `BAD${index}`, name: "Mallory" } }))
          .status,
      );
    // Ten wrong codes in a burst (one was spent above), then 429 until the bucket refills.
    const firstRefusal = answers.indexOf(429);
    expect(firstRefusal).toBe(9);
    expect(answers.slice(0, firstRefusal).every((status) => status === 403)).toBe(true);
    expect(answers.slice(firstRefusal).every((status) => status === 429)).toBe(true);
  });
});

describe("a restart of the class server keeps the class", () => {
  const work = tempDir("bct-class-restart-");
  afterAll(() => work.remove());

  it("has the same code, attendees, results and flags, and the attendee's token still works", async () => {
    const file = join(work.dir, "class.json");
    const first = await startClass(file);
    const token = await joinAs(first.url, first.room.code, "Grace");
    await post(first.url, token, [{ kind: "example", id: "hello-world", ok: true, durationMs: 800 }]);
    await classRequest(first.url, "/api/help", { token, body: { needsHelp: true } });
    const seen = await grid(first);
    await first.close();

    const second = await startClass(file);
    try {
      const after = await grid(second);
      expect(after).toEqual(seen);
      expect(after.attendees[0]).toMatchObject({ name: "Grace", needsHelp: true });
      expect(
        (await post(second.url, token, [{ kind: "example", id: "ports", ok: false, durationMs: 1 }])).status,
      ).toBe(200);
      expect((await grid(second)).attendees[0]!.cells["example:ports"]).toMatchObject({
        ok: false,
        runs: 1,
      });
    } finally {
      await second.close();
    }
    const fresh = await startClass(file, { fresh: true });
    try {
      expect(fresh.room.code).not.toBe(seen.code);
      expect((await grid(fresh)).attendees).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe("the class is the trainer's", () => {
  const work = tempDir("bct-class-key-");
  let running: RunningClass;
  let token: string;

  beforeAll(async () => {
    running = await startClass(join(work.dir, "class.db"), { maxViews: 2 });
    token = await joinAs(running.url, running.room.code, "👩‍💻 Ada");
  });
  afterAll(async () => {
    await running.close();
    work.remove();
  });

  it("accepts letters, marks and emoji with their joiners as names", async () => {
    for (const name of ["José", "李雷", "Zoë-Ann (TA)", "Ada 👍🏽", "🇫🇷 Luc"])
      expect(
        (await classRequest(running.url, "/api/join", { body: { code: running.room.code, name } })).status,
      ).toBe(201);
    expect((await grid(running)).attendees[0]!.name).toBe("👩‍💻 Ada");
  });

  it("gives the grid and the live view only with the trainer's key, and the code to nobody else", async () => {
    for (const path of ["/api/grid", "/api/events", "/api/grid?key=", `/api/grid?key=${"0".repeat(32)}`]) {
      const answer = await raw(running.url, path, { method: "GET" });
      expect(answer.status).toBe(401);
      expect(answer.body.error).toContain("The grid is the trainer's");
      expect(JSON.stringify(answer.body)).not.toContain(running.room.code);
    }
    const cookie = await fetch(`${running.url}/?key=${running.room.trainerKey}`);
    const set = cookie.headers.get("set-cookie")!;
    expect(set).toMatch(/HttpOnly; SameSite=Strict/);
    const byCookie = await fetch(`${running.url}/api/grid`, { headers: { cookie: set.split(";")[0]! } });
    expect(byCookie.status).toBe(200);
    expect(((await byCookie.json()) as Grid).code).toBe(running.room.code);
    const page = await fetch(`${running.url}/`);
    expect(page.headers.get("set-cookie")).toBeNull();
    expect(await page.text()).not.toContain(running.room.code);
  });

  it("gives an attendee their own row with their token, and nothing without it", async () => {
    const own = await classRequest(running.url, "/api/me", { token });
    expect(own.status).toBe(200);
    const body = own.body as { row: { name: string }; columns: unknown[] };
    expect(body.row.name).toBe("👩‍💻 Ada");
    expect(JSON.stringify(body)).not.toContain(running.room.code);
    expect(JSON.stringify(body)).not.toContain("José");
    expect((await classRequest(running.url, "/api/me")).status).toBe(401);
  });

  it("refuses a Host it does not answer to (a DNS-rebinding page), before anything else", async () => {
    const { request } = await import("node:http");
    const ask = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          `${running.url}/api/grid?key=${running.room.trainerKey}`,
          { headers: { host } },
          (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end();
      });
    const port = new URL(running.url).port;
    const foreign = await ask(`evil.example:${port}`);
    expect(foreign.status).toBe(421);
    expect(foreign.body).toContain("--allow-host evil.example");
    expect(foreign.body).not.toContain(running.room.code);
    expect((await ask(`localhost:${port}`)).status).toBe(200);
    expect((await ask(`127.0.0.1:${port}`)).status).toBe(200);
  });

  it("refuses a view past --max-views with 503 and its reason, and takes one again once a slot is free", async () => {
    const open = () => {
      const abort = new AbortController();
      const answer = fetch(`${running.url}/api/events?key=${running.room.trainerKey}`, {
        signal: abort.signal,
      });
      return { abort, answer };
    };
    const views = [open(), open()];
    expect(await Promise.all(views.map(async (view) => (await view.answer).status))).toEqual([200, 200]);
    const third = await fetch(`${running.url}/api/events?key=${running.room.trainerKey}`);
    expect(third.status).toBe(503);
    expect(((await third.json()) as { error: string }).error).toBe(
      "At most 2 live views at once (serve --max-views raises it).",
    );
    for (const view of views) view.abort.abort();
    for (;;) {
      const again = open();
      const status = (await again.answer).status;
      again.abort.abort();
      if (status === 200) break;
      expect(status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it("keeps live-view slots for the key's holders, and sends a change as that row only", async () => {
    const strangers = await Promise.all(
      Array.from({ length: 5 }, () => fetch(`${running.url}/api/events`).then((answer) => answer.status)),
    );
    expect(strangers).toEqual([401, 401, 401, 401, 401]);
    const view = new AbortController();
    const events = await fetch(`${running.url}/api/events?key=${running.room.trainerKey}`, {
      signal: view.signal,
    });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    let text = "";
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until(/event: grid\ndata: .*\n\n/);
    text = "";
    await post(running.url, token, [{ kind: "example", id: "ports", ok: true, durationMs: 5 }]);
    await until(/event: rows\ndata: .*\n\n/);
    const change = JSON.parse(/event: rows\ndata: (.*)\n\n/.exec(text)![1]!) as {
      rows: { name: string; cells: Record<string, unknown> }[];
      passCounts: Record<string, number>;
    };
    expect(change.rows.map((row) => row.name)).toEqual(["👩‍💻 Ada"]);
    expect(change.rows[0]!.cells["example:ports"]).toMatchObject({ ok: true });
    expect(change.passCounts["example:ports"]).toBe(1);
    view.abort();
  });
});
