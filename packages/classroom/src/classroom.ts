#!/usr/bin/env node
import { existsSync } from "node:fs";
import { join as joinPath, resolve } from "node:path";
import {
  answerError,
  type ClassAnswer,
  classRequest,
  MAX_OUTCOMES_PER_POST,
  type ProgressRecord,
  type RunOutcome,
  readMembership,
  readProgress,
  removeMembership,
  STATE_FOLDER,
  saveMembership,
  stateDir,
} from "@bct/attendee";
import {
  type CommandSpec,
  type Console,
  closestMatch,
  parseCommandArgs,
  renderHelp,
  runCli,
  untilStopped,
  useCompileCache,
} from "@bct/cli";
import { EXIT, KitError } from "@bct/engine";
import { networkFailure } from "@bct/errors";
import { printableName } from "./class-names.ts";
import { createClassServer, MAX_EVENT_CLIENTS } from "./class-server.ts";
import { ClassFileError, ClassRoom, type Grid, type GridRow, MAX_ATTENDEES } from "./class-state.ts";
import { courseColumns } from "./course-columns.ts";
import { listenOn, parsePort, reachableAddresses } from "./listen.ts";
import { findRepoRoot, isEntryPoint } from "./repo-root.ts";

export const CLASSROOM_PORT = 4200;
export const CLASS_FILE = "class.db";
const SUBCOMMANDS = ["serve", "join", "help", "leave", "status"] as const;

export const classroomCommand: CommandSpec = {
  usage: "pnpm classroom",
  summary:
    "A live view of the class, on the trainer's machine, without accounts.\n\n" +
    "  serve          (trainer) the class page and its API on one port; prints the join URL with the class code,\n" +
    "                 and the page's address with your key (the grid is yours alone)\n" +
    "  join URL       (attendee) join with --name; from then on every pnpm example and pnpm check-exercise posts its result\n" +
    "  help           (attendee) raise the 'needs help' flag (--off lowers it)\n" +
    "  leave          (attendee) send what is queued, then stop posting\n" +
    "  status         your own row in the class you joined, or the whole grid with --url and --key (--json for scripts)",
  positionals: ["<serve|join|help|leave|status>", "[URL]"],
  options: {
    port: { type: "string", valueName: "N", description: "serve: the port", default: String(CLASSROOM_PORT) },
    host: {
      type: "string",
      valueName: "H",
      description:
        "serve: listen on this address (default: 127.0.0.1, this machine only; 0.0.0.0 for the room)",
    },
    "allow-host": {
      type: "string",
      valueName: "NAME",
      multiple: true,
      description: "serve: also answer requests for this host name (a forwarded port's, or a DNS name)",
    },
    "max-attendees": {
      type: "string",
      valueName: "N",
      description: `serve: attendees at most (default ${MAX_ATTENDEES})`,
    },
    "max-views": {
      type: "string",
      valueName: "N",
      description: `serve: live views of the page at once (default ${MAX_EVENT_CLIENTS})`,
    },
    file: {
      type: "string",
      valueName: "path",
      description: `serve: where the class is kept, an SQLite file (default: ${STATE_FOLDER}/${CLASS_FILE})`,
    },
    new: {
      type: "boolean",
      description: "serve: start a new class (a new code and key); the old file is kept beside it",
    },
    name: { type: "string", valueName: "NAME", description: "join: your name as the trainer sees it" },
    off: { type: "boolean", description: "help: lower the flag" },
    url: {
      type: "string",
      valueName: "URL",
      description: "status: the class server, when you have not joined",
    },
    key: { type: "string", valueName: "KEY", description: "status: the trainer's key, for the whole grid" },
    json: { type: "boolean", description: "status: print the grid as JSON" },
  },
  examples: [
    "pnpm classroom serve --host 0.0.0.0",
    "pnpm classroom join http://192.168.1.20:4200/join/K7QX2M --name Ada",
    "pnpm classroom help",
    "pnpm classroom status --json",
  ],
};

export interface ClassroomContext {
  env: Record<string, string | undefined>;
  /** Resolves when the server should stop (serve only); the default waits for SIGINT or SIGTERM. */
  stopSignal?: Promise<void>;
}

export async function classroomMain(
  argv: string[],
  console: Console,
  context: ClassroomContext = { env: process.env },
): Promise<number> {
  const args = parseCommandArgs(classroomCommand, argv);
  if (args.help) {
    console.print(renderHelp(classroomCommand).trimEnd());
    return EXIT.ok;
  }
  const [subcommand, target, ...extra] = args.positionals;
  if (!subcommand || !(SUBCOMMANDS as readonly string[]).includes(subcommand)) {
    const suggestion = subcommand ? closestMatch(subcommand, [...SUBCOMMANDS]) : undefined;
    throw new KitError(
      "INVALID_INPUT",
      subcommand
        ? `Unknown subcommand "${subcommand}".`
        : "Name a subcommand: serve, join, help, leave or status.",
      {
        hint: suggestion ? `Did you mean: pnpm classroom ${suggestion}?` : "See pnpm classroom --help",
      },
    );
  }
  if (extra.length > 0 || (target && subcommand !== "join"))
    throw new KitError(
      "INVALID_INPUT",
      `Unexpected argument: ${[target, ...extra].filter(Boolean).join(" ")}`,
      { hint: "See pnpm classroom --help" },
    );
  switch (subcommand) {
    case "serve":
      return serve(args.values, console, context);
    case "join":
      return join(target, args.values.name, console, context.env);
    case "help":
      return raiseHelp(args.values.off !== true, console, context.env);
    case "leave":
      return leave(console, context.env);
    default:
      return status(args.values, console, context.env);
  }
}

function positiveCount(values: Record<string, unknown>, name: string, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const count = Number(text);
  if (typeof text !== "string" || !/^\d+$/.test(text) || count < 1 || count > 100_000)
    throw new KitError("INVALID_INPUT", `--${name} ${String(text)}: a whole number from 1 to 100000.`);
  return count;
}

async function serve(
  values: Record<string, unknown>,
  console: Console,
  context: ClassroomContext,
): Promise<number> {
  const port = parsePort(String(values.port));
  const host = typeof values.host === "string" ? values.host : "127.0.0.1";
  const maxAttendees = positiveCount(values, "max-attendees", MAX_ATTENDEES);
  const maxViews = positiveCount(values, "max-views", MAX_EVENT_CLIENTS);
  const allowedHosts = (values["allow-host"] as string[] | undefined) ?? [];
  const repoRoot = findRepoRoot();
  const file =
    typeof values.file === "string"
      ? resolve(context.env.INIT_CWD ?? process.cwd(), values.file)
      : joinPath(repoRoot, STATE_FOLDER, CLASS_FILE);
  let room: ClassRoom;
  try {
    room = ClassRoom.open(file, await courseColumns(repoRoot), { fresh: values.new === true });
  } catch (error) {
    if (error instanceof ClassFileError)
      throw new KitError("INVALID_INPUT", error.message, { hint: error.hint });
    throw error;
  }
  room.maxAttendees = maxAttendees;
  const legacy = joinPath(repoRoot, STATE_FOLDER, "class.json");
  if (typeof values.file !== "string" && room.grid().attendees.length === 0 && existsSync(legacy))
    console.warn(
      `${legacy} holds a class of an older kit, which this one does not read: a new class starts in ${file}, and that file is left as it is.`,
    );
  try {
    let addresses: string[] = [];
    const server = createClassServer({ room, joinUrls: () => addresses, allowedHosts, maxViews });
    const bound = await listenOn(server, port, host);
    room.persist();
    addresses = reachableAddresses(host, bound);
    const kept = room.grid().attendees.length;
    console.print(`Class code: ${room.code}${kept > 0 ? ` (kept from ${file}: ${kept} attendee(s))` : ""}`);
    console.print(
      `Class page: ${addresses[addresses.length - 1]}/?key=${room.trainerKey}  (yours: it holds your key)`,
    );
    if (addresses.every((address) => /\/\/(127\.|\[::1\]|localhost)/.test(address)))
      console.print("Only this machine can reach it: for the room, start it with --host 0.0.0.0.");
    console.print("Attendees type (with the address they can reach):");
    for (const address of addresses)
      console.print(`  pnpm classroom join ${address}/join/${room.code} --name YOUR-NAME`);
    console.info(`Kept in ${file}. Ctrl-C stops the server; the class stays for the next start.`);
    await (context.stopSignal ?? untilStopped());
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    return context.stopSignal ? EXIT.ok : EXIT.interrupted;
  } finally {
    room.close();
  }
}

/** "http://h:p/join/CODE" → its origin and code. */
export function parseJoinUrl(text: string): { origin: string; code: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new KitError("INVALID_INPUT", `"${text}" is not a URL.`, {
      hint: "Copy the join URL the trainer's pnpm classroom serve printed, e.g. http://192.168.1.20:4200/join/K7QX2M",
    });
  }
  const match = /^\/join\/([A-Za-z0-9]{4,16})\/?$/.exec(url.pathname);
  if (!/^https?:$/.test(url.protocol) || !match)
    throw new KitError("INVALID_INPUT", `"${text}" is not a join URL (http://HOST:PORT/join/CODE).`, {
      hint: "Copy the join URL the trainer's pnpm classroom serve printed.",
    });
  return { origin: url.origin, code: match[1]!.toUpperCase() };
}

function originOf(text: string): string {
  try {
    const url = new URL(text);
    if (/^https?:$/.test(url.protocol)) return url.origin;
  } catch {
    // reported below
  }
  throw new KitError(
    "INVALID_INPUT",
    `--url ${text}: give the class server's address, e.g. http://192.168.1.20:4200`,
  );
}

function requireStateDir(env: Record<string, string | undefined>): string {
  const dir = stateDir(env);
  if (!dir)
    throw new KitError(
      "INVALID_INPUT",
      "No place for the class membership: set BCT_STATE_DIR (it is unset under a test runner).",
    );
  return dir;
}

async function ask(
  origin: string,
  path: string,
  options: Parameters<typeof classRequest>[2] = {},
): Promise<ClassAnswer> {
  try {
    return await classRequest(origin, path, { timeoutMs: 5000, ...options });
  } catch (error) {
    throw new KitError(
      "COMMAND_FAILED",
      `Cannot reach the class server at ${origin}: ${networkFailure(error)}.`,
      {
        hint: "Is the trainer's pnpm classroom serve running, and is this the address it printed for your network? In a browser workspace the trainer's port must be forwarded and public (docs/classroom.md).",
      },
    );
  }
}

function refused(answer: ClassAnswer, what: string): KitError {
  return new KitError(
    answer.status >= 500 ? "COMMAND_FAILED" : "INVALID_INPUT",
    `${what}: ${answerError(answer)}`,
    {
      hint: answer.status === 401 ? "Join again: pnpm classroom join URL --name NAME" : undefined,
    },
  );
}

async function join(
  target: string | undefined,
  name: unknown,
  console: Console,
  env: Record<string, string | undefined>,
): Promise<number> {
  if (!target)
    throw new KitError("INVALID_INPUT", "Name the join URL.", {
      hint: "pnpm classroom join http://HOST:PORT/join/CODE --name NAME",
    });
  if (typeof name !== "string" || name.trim() === "")
    throw new KitError("INVALID_INPUT", "Say who you are: --name NAME.", {
      hint: `pnpm classroom join ${target} --name Ada`,
    });
  const dir = requireStateDir(env);
  const { origin, code } = parseJoinUrl(target);
  const answer = await ask(origin, "/api/join", { body: { code, name } });
  if (answer.status !== 201) throw refused(answer, "The class refused to join you");
  const joined = answer.body as { attendeeId: string; token: string; name: string };
  const previous = readMembership(dir);
  saveMembership(dir, {
    url: origin,
    code,
    name: joined.name,
    attendeeId: joined.attendeeId,
    token: joined.token,
    joinedAt: new Date().toISOString(),
    outbox: [],
    awayUntil: 0,
  });
  if (previous) console.info(`Replaced your membership of ${previous.url} (as ${previous.name}).`);
  console.print(
    `Joined the class at ${origin} as ${printableName(joined.name)}. Every pnpm example and pnpm check-exercise now posts its result (ids, pass/fail, duration).`,
  );
  const earlier = earlierOutcomes(readProgress(dir));
  if (earlier.length > 0) {
    const sent = await sendOutcomes(origin, joined.token, earlier);
    console.print(
      sent === earlier.length
        ? `Sent your ${earlier.length} earlier result(s) to the class.`
        : `Sent ${sent} of your ${earlier.length} earlier results; the rest go with your next run.`,
    );
    if (sent < earlier.length) {
      const membership = readMembership(dir);
      if (membership) saveMembership(dir, { ...membership, outbox: earlier.slice(sent) });
    }
  }
  console.print("Stuck? pnpm classroom help. Done? pnpm classroom leave.");
  return EXIT.ok;
}

function membershipOrFail(env: Record<string, string | undefined>) {
  const membership = readMembership(requireStateDir(env));
  if (!membership)
    throw new KitError("INVALID_INPUT", "You have not joined a class.", {
      hint: "pnpm classroom join URL --name NAME (the URL your trainer gives out)",
    });
  return membership;
}

async function raiseHelp(
  needsHelp: boolean,
  console: Console,
  env: Record<string, string | undefined>,
): Promise<number> {
  const membership = membershipOrFail(env);
  const answer = await ask(membership.url, "/api/help", { token: membership.token, body: { needsHelp } });
  if (answer.status !== 200) throw refused(answer, "The class did not take the flag");
  console.print(
    needsHelp
      ? "The trainer sees that you need help. Lower the flag with: pnpm classroom help --off"
      : "Flag lowered.",
  );
  return EXIT.ok;
}

/** The latest outcome of each example and criterion in the attendee's own record. */
function earlierOutcomes(record: ProgressRecord): RunOutcome[] {
  return Object.values(record.entries).map((entry) => ({
    kind: entry.kind,
    id: entry.id,
    ok: entry.lastOk,
    durationMs: entry.lastDurationMs,
  }));
}

/** Posts outcomes in batches; returns how many the server took (it stops at the first refusal). */
async function sendOutcomes(origin: string, token: string, outcomes: RunOutcome[]): Promise<number> {
  let sent = 0;
  while (sent < outcomes.length) {
    const batch = outcomes.slice(sent, sent + MAX_OUTCOMES_PER_POST);
    const answer = await classRequest(origin, "/api/results", {
      token,
      body: { results: batch },
      timeoutMs: 5000,
    }).catch(() => undefined);
    if (answer?.status !== 200) return sent;
    sent += batch.length;
  }
  return sent;
}

async function leave(console: Console, env: Record<string, string | undefined>): Promise<number> {
  const dir = requireStateDir(env);
  const membership = readMembership(dir);
  if (!membership) {
    console.print("You are not in a class: nothing to leave.");
    return EXIT.ok;
  }
  if (membership.outbox.length > 0) {
    const sent = await sendOutcomes(membership.url, membership.token, membership.outbox);
    const dropped = membership.outbox.length - sent;
    console.print(
      dropped === 0
        ? `Sent your ${sent} queued result(s) first.`
        : `${dropped} queued result(s) could not be sent and are dropped (they stay in your own record: pnpm progress).`,
    );
  }
  removeMembership(dir);
  const told = await classRequest(membership.url, "/api/leave", {
    method: "POST",
    token: membership.token,
    timeoutMs: 2000,
  }).then(
    (answer) => answer.status === 200,
    () => false,
  );
  console.print(
    `Left the class at ${membership.url}${told ? "" : " (the server did not answer; nothing is posted any more all the same)"}.`,
  );
  return EXIT.ok;
}

async function status(
  values: Record<string, unknown>,
  console: Console,
  env: Record<string, string | undefined>,
): Promise<number> {
  const key = typeof values.key === "string" ? values.key : undefined;
  if (key === undefined) {
    if (typeof values.url === "string")
      throw new KitError("INVALID_INPUT", "The whole grid is the trainer's: give --key KEY with --url.", {
        hint: "The key is in the class page address pnpm classroom serve printed (…/?key=KEY).",
      });
    return ownStatus(values.json === true, console, env);
  }
  const origin = typeof values.url === "string" ? originOf(values.url) : membershipOrFail(env).url;
  const answer = await ask(origin, `/api/grid?key=${encodeURIComponent(key)}`);
  if (answer.status !== 200) throw refused(answer, "The class server did not give its grid");
  const grid = answer.body as Grid;
  if (values.json === true) {
    console.print(JSON.stringify(grid, null, 2));
    return EXIT.ok;
  }
  const present = grid.attendees.filter((attendee) => !attendee.left);
  const examples = grid.columns.filter((column) => column.kind === "example").length;
  const criteria = grid.columns.length - examples;
  console.print(
    `Class ${printableName(grid.code)}: ${present.length} attendee(s); each has ${examples} examples and ${criteria} exercise criteria to pass`,
  );
  const names = present.map((attendee) => printableName(attendee.name));
  const width = Math.max(8, ...names.map((name) => [...name].length));
  for (const [index, attendee] of present.entries()) {
    const passed = grid.columns.filter((column) => attendee.cells[column.key]?.ok).length;
    const name = names[index]!;
    console.print(
      `  ${name}${" ".repeat(width - [...name].length)}  ${String(passed).padStart(2)}/${grid.columns.length} passed${attendee.needsHelp ? "  NEEDS HELP" : ""}`,
    );
  }
  return EXIT.ok;
}

/** An attendee's own row, as the trainer sees it. */
async function ownStatus(
  json: boolean,
  console: Console,
  env: Record<string, string | undefined>,
): Promise<number> {
  const membership = membershipOrFail(env);
  const answer = await ask(membership.url, "/api/me", { token: membership.token });
  if (answer.status !== 200) throw refused(answer, "The class server did not give your row");
  const { columns, row } = answer.body as { columns: Grid["columns"]; row: GridRow };
  if (json) {
    console.print(JSON.stringify({ columns, row }, null, 2));
    return EXIT.ok;
  }
  const passed = columns.filter((column) => row.cells[column.key]?.ok).length;
  console.print(
    `${printableName(row.name)} in the class at ${membership.url}: ${passed}/${columns.length} passed${row.needsHelp ? ", needs help" : ""}${membership.outbox.length > 0 ? `, ${membership.outbox.length} result(s) queued` : ""}`,
  );
  return EXIT.ok;
}

if (isEntryPoint(import.meta.url)) {
  useCompileCache();
  await runCli((console) => classroomMain(process.argv.slice(2), console));
}
