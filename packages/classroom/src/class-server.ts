import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { resultPostSchema } from "@bct/attendee";
import { z } from "zod";
import { ClassError, type ClassRoom } from "./class-state.ts";
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS, joinPage } from "./dashboard-page.ts";
import { RateLimiter } from "./rate-limit.ts";

/** Largest request body: a post of 32 outcomes is about 3 KB. */
export const MAX_BODY_BYTES = 8 * 1024;
/** Live views at once (each trainer tab is one), unless `serve --max-views` says otherwise. */
export const MAX_EVENT_CLIENTS = 600;
/** A live view that has not taken this much of what was sent is dropped (its page reconnects). */
export const MAX_VIEW_BACKLOG = 1024 * 1024;
/** Changes are gathered this long and sent as one event. */
const BROADCAST_MS = 500;
const TRAINER_COOKIE = "bct_trainer";

export interface ClassServerOptions {
  room: ClassRoom;
  /** The join URLs to show on the page (one per reachable address). */
  joinUrls: () => string[];
  /** Host names besides those of the join URLs and loopback that requests may name (a forwarded port's). */
  allowedHosts?: string[];
  maxViews?: number;
  /** Posts per second per attendee, on average, and the burst allowed. */
  postRate?: { perSecond: number; burst: number };
  now?: () => number;
}

const joinSchema = z.object({ code: z.string().max(64), name: z.string().max(200) }).strict();
const helpSchema = z.object({ needsHelp: z.boolean() }).strict();

/** The host name a Host header names, lower case, without its port. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

/**
 * The class page and its API on one port: nothing else is served. The grid and the live view are the
 * trainer's (their key, from `serve`); an attendee reaches only their own row, with their token.
 */
export function createClassServer(options: ClassServerOptions): Server {
  const { room } = options;
  const now = options.now ?? Date.now;
  const maxViews = options.maxViews ?? MAX_EVENT_CLIENTS;
  const posts = new RateLimiter(options.postRate?.perSecond ?? 5, options.postRate?.burst ?? 20, now);
  const wrongCodes = new RateLimiter(0.2, 10, now);
  const clients = new Set<ServerResponse>();
  /** Per attendee whose row changed since the last event: the cells that did. */
  const changed = new Map<string, Set<string>>();
  let pending: NodeJS.Timeout | undefined;

  const allowedHosts = () =>
    new Set([
      "localhost",
      "127.0.0.1",
      "[::1]",
      ...(options.allowedHosts ?? []).map((host) => host.toLowerCase()),
      ...options.joinUrls().map((url) => new URL(url).hostname.toLowerCase()),
    ]);
  // Many views opening at once share one rendering of the grid, until the next change.
  let cachedGrid: string | undefined;
  const gridJson = () => {
    cachedGrid ??= JSON.stringify({ ...room.grid(), joinUrls: options.joinUrls() });
    return cachedGrid;
  };
  /** What each view may leave unread: its first grid, and MAX_VIEW_BACKLOG of changes after it. */
  const allowance = new WeakMap<ServerResponse, number>();
  const sendTo = (client: ServerResponse, message: string) => {
    if (client.writableLength > (allowance.get(client) ?? 0) + MAX_VIEW_BACKLOG) {
      clients.delete(client);
      client.destroy();
      return;
    }
    client.write(message);
  };
  const touched = (attendeeId: string, cellKeys: string[] = []) => {
    cachedGrid = undefined;
    if (clients.size === 0) return;
    const keys = changed.get(attendeeId) ?? new Set<string>();
    for (const key of cellKeys) keys.add(key);
    changed.set(attendeeId, keys);
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      const rows = [];
      for (const [id, keys] of changed) {
        const row = room.row(id);
        if (!row) continue;
        // What the page shows, no more: 500 views each get every change.
        const cells = Object.fromEntries(
          [...keys].flatMap((key) => {
            const cell = row.cells[key];
            return cell ? [[key, { ok: cell.ok, runs: cell.runs, durationMs: cell.durationMs }]] : [];
          }),
        );
        const { id: rowId, name, needsHelp, left, posts } = row;
        rows.push({ id: rowId, name, needsHelp, left, posts, cells });
      }
      changed.clear();
      const message = `event: rows\ndata: ${JSON.stringify({ rows, passCounts: room.passCounts() })}\n\n`;
      for (const client of clients) sendTo(client, message);
    }, BROADCAST_MS);
  };

  const trainerKeyOf = (request: IncomingMessage, url: URL) =>
    url.searchParams.get("key") ??
    (request.headers["x-trainer-key"] as string | undefined) ??
    new RegExp(`(?:^|;\\s*)${TRAINER_COOKIE}=([0-9a-f]{1,64})`).exec(request.headers.cookie ?? "")?.[1];
  const requireTrainer = (request: IncomingMessage, url: URL) => {
    if (!room.isTrainerKey(trainerKeyOf(request, url)))
      throw new ClassError(
        401,
        "The grid is the trainer's: open the class page address that pnpm classroom serve printed (it holds the key).",
      );
  };

  const server = createServer(async (request, response) => {
    response.setHeader("x-content-type-options", "nosniff");
    response.setHeader("referrer-policy", "no-referrer");
    try {
      const host = hostName(request.headers.host);
      if (!host || !allowedHosts().has(host))
        throw new ClassError(
          421,
          `This class server does not answer to the host ${JSON.stringify(String(request.headers.host ?? "").slice(0, 100))}. If that is the forwarded address of this port, start it with --allow-host ${host ?? "NAME"}.`,
        );
      const url = new URL(request.url ?? "/", "http://class.invalid");
      const route = `${request.method} ${url.pathname}`;
      switch (route) {
        case "GET /": {
          const key = url.searchParams.get("key");
          if (key && room.isTrainerKey(key))
            response.setHeader("set-cookie", `${TRAINER_COOKIE}=${key}; Path=/; HttpOnly; SameSite=Strict`);
          return send(response, 200, DASHBOARD_HTML, "text/html; charset=utf-8");
        }
        case "GET /dashboard.js":
          return send(response, 200, DASHBOARD_JS, "text/javascript; charset=utf-8");
        case "GET /dashboard.css":
          return send(response, 200, DASHBOARD_CSS, "text/css; charset=utf-8");
        case "GET /api/grid":
          requireTrainer(request, url);
          return send(response, 200, gridJson(), "application/json");
        case "GET /api/events":
          requireTrainer(request, url);
          return openEvents(request, response);
        case "GET /api/me": {
          const attendee = room.attendeeOf(bearer(request));
          return sendJson(response, 200, { columns: room.columns, row: room.row(attendee.id) });
        }
        case "POST /api/join": {
          const address = request.socket.remoteAddress ?? "?";
          if (wrongCodes.retryAfterSeconds(address) > 0)
            throw tooMany(wrongCodes.retryAfterSeconds(address), "wrong class codes");
          const body = parse(joinSchema, await readBody(request));
          try {
            const joined = room.join(body.code, body.name);
            touched(joined.attendeeId);
            return sendJson(response, 201, joined);
          } catch (error) {
            if (error instanceof ClassError && error.status === 403 && error.message.startsWith("Wrong"))
              wrongCodes.take(address);
            throw error;
          }
        }
        case "POST /api/results":
        case "POST /api/help":
        case "POST /api/leave": {
          const token = bearer(request);
          const attendee = room.attendeeOf(token);
          if (!posts.take(attendee.id)) throw tooMany(posts.retryAfterSeconds(attendee.id), "posts");
          const raw = await readBody(request);
          let cellKeys: string[] = [];
          if (route === "POST /api/results") {
            const { results } = parse(resultPostSchema, raw);
            room.post(token, results);
            cellKeys = results.map((outcome) => `${outcome.kind}:${outcome.id}`);
          } else if (route === "POST /api/help") room.setHelp(token, parse(helpSchema, raw).needsHelp);
          else room.leave(token);
          touched(attendee.id, cellKeys);
          return sendJson(response, 200, { ok: true });
        }
      }
      const join = /^\/join\/([A-Za-z0-9]{1,16})$/.exec(url.pathname);
      if (request.method === "GET" && join)
        return send(
          response,
          200,
          joinPage(`${url.pathname}`, options.joinUrls()),
          "text/html; charset=utf-8",
        );
      const known = [
        "/",
        "/dashboard.js",
        "/dashboard.css",
        "/api/grid",
        "/api/events",
        "/api/me",
        "/api/join",
        "/api/results",
        "/api/help",
        "/api/leave",
      ];
      if (known.includes(url.pathname))
        throw new ClassError(405, `${request.method} is not allowed on ${url.pathname}.`);
      throw new ClassError(
        404,
        `Nothing at ${url.pathname}: this server serves the class page and its API only.`,
      );
    } catch (error) {
      if (response.headersSent) return response.destroy();
      if (error instanceof ClassError) {
        if (error instanceof TooManyRequests) response.setHeader("retry-after", String(error.retryAfter));
        if (error.status === 413) response.setHeader("connection", "close");
        return sendJson(response, error.status, { error: error.message });
      }
      return sendJson(response, 500, { error: `The class server failed: ${(error as Error).message}` });
    }
  });

  function openEvents(request: IncomingMessage, response: ServerResponse): void {
    if (clients.size >= maxViews)
      throw new ClassError(503, `At most ${maxViews} live views at once (serve --max-views raises it).`);
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    const first = `retry: 2000\nevent: grid\ndata: ${gridJson()}\n\n`;
    allowance.set(response, Buffer.byteLength(first));
    response.write(first);
    clients.add(response);
    const keepAlive = setInterval(() => sendTo(response, ": keep-alive\n\n"), 25_000);
    request.on("close", () => {
      clearInterval(keepAlive);
      clients.delete(response);
    });
  }

  server.on("close", () => {
    if (pending) clearTimeout(pending);
    for (const client of clients) client.end();
  });
  // A live view never ends by itself: close() must not wait for it.
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    for (const client of clients) client.destroy();
    clients.clear();
    return close(callback);
  }) as Server["close"];
  return server;
}

class TooManyRequests extends ClassError {
  readonly retryAfter: number;

  constructor(retryAfter: number, what: string) {
    super(429, `Too many ${what}: wait ${retryAfter} s and try again.`);
    this.retryAfter = retryAfter;
  }
}
const tooMany = (seconds: number, what: string) => new TooManyRequests(Math.max(1, seconds), what);

function bearer(request: IncomingMessage): string | undefined {
  const match = /^Bearer ([0-9a-f]{1,128})$/.exec(request.headers.authorization ?? "");
  return match?.[1];
}

/** The JSON body, at most MAX_BODY_BYTES, of type application/json. */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const type = request.headers["content-type"] ?? "";
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES)
    throw new ClassError(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ClassError(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!/^application\/json\b/.test(type))
    throw new ClassError(415, "Send JSON (content-type: application/json).");
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ClassError(400, "The body is not valid JSON.");
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ClassError(
    400,
    result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; "),
  );
}

function send(response: ServerResponse, status: number, body: string, type: string): void {
  response.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...(type.startsWith("text/html")
      ? {
          "content-security-policy":
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'",
        }
      : {}),
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), "application/json");
}
