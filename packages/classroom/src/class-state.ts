import { createHash, randomBytes, randomInt } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { RunOutcome } from "@bct/attendee";
import { acquireFileLock } from "./class-lock.ts";
import { validName } from "./class-names.ts";
import type { CourseColumn } from "./course-columns.ts";

/** Letters and digits nobody confuses when read off a projector (no 0/O, 1/I/L). */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 6;
/** Attendees in one class, unless `serve --max-attendees` says otherwise. */
export const MAX_ATTENDEES = 500;
export const SCHEMA_VERSION = 1;

export function newClassCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

export interface Cell {
  ok: boolean;
  runs: number;
  everPassed: boolean;
  durationMs: number;
  at: string;
}

interface Attendee {
  id: string;
  name: string;
  tokenHash: string;
  joinedAt: string;
  lastSeenAt: string;
  needsHelp: boolean;
  left: boolean;
  posts: number;
  cells: Record<string, Cell>;
}

/** A refusal the server turns into an HTTP status and a JSON { error }. */
export class ClassError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The class file cannot be used as it is: the server does not start, and the file is left alone. */
export class ClassFileError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

export interface GridRow {
  id: string;
  name: string;
  needsHelp: boolean;
  left: boolean;
  joinedAt: string;
  lastSeenAt: string;
  posts: number;
  cells: Record<string, Cell>;
}

export interface Grid {
  code: string;
  createdAt: string;
  columns: CourseColumn[];
  /** Per column: how many attendees passed it (their latest run). */
  passCounts: Record<string, number>;
  attendees: GridRow[];
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const SCHEMA = `
CREATE TABLE IF NOT EXISTS class (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  code TEXT NOT NULL,
  trainer_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attendees (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  joined_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  needs_help INTEGER NOT NULL,
  left_class INTEGER NOT NULL,
  posts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cells (
  attendee_id TEXT NOT NULL REFERENCES attendees(id),
  column_key TEXT NOT NULL,
  ok INTEGER NOT NULL,
  runs INTEGER NOT NULL,
  ever_passed INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (attendee_id, column_key)
);
`;

interface AttendeeRow {
  id: string;
  name: string;
  token_hash: string;
  joined_at: string;
  last_seen_at: string;
  needs_help: number;
  left_class: number;
  posts: number;
}

interface CellRow {
  attendee_id: string;
  column_key: string;
  ok: number;
  runs: number;
  ever_passed: number;
  duration_ms: number;
  at: string;
}

interface ClassHeader {
  code: string;
  trainerKey: string;
  createdAt: string;
}

function damaged(file: string, why: string): ClassFileError {
  return new ClassFileError(
    `${file} is not a class the kit can read (${why}). It was left as it is.`,
    `To look at it: sqlite3 ${file} .dump. To start a new class instead: pnpm classroom serve --new (this file is then kept beside it as ${file}.<time>.old).`,
  );
}

/** Reads a whole class file, read-only; a file that is not one is a ClassFileError. */
function readClassFile(file: string): { header: ClassHeader; attendees: Attendee[] } {
  let db: DatabaseSync | undefined;
  // Even a read-only look at a journaled file creates its -wal and -shm: a refusal removes those it made.
  const companions = ["-wal", "-shm"].map((suffix) => file + suffix).filter((path) => !existsSync(path));
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const check = db.prepare("PRAGMA quick_check").all() as { quick_check: string }[];
    if (check.length !== 1 || check[0]!.quick_check !== "ok")
      throw damaged(file, check.map((row) => row.quick_check).join("; "));
    const header = db
      .prepare("SELECT version, code, trainer_key, created_at FROM class WHERE id = 1")
      .get() as { version: number; code: string; trainer_key: string; created_at: string } | undefined;
    if (!header) throw damaged(file, "it holds no class");
    if (header.version !== SCHEMA_VERSION)
      throw damaged(file, `it is of version ${header.version}, this kit reads ${SCHEMA_VERSION}`);
    const attendees = new Map<string, Attendee>();
    for (const row of db.prepare("SELECT * FROM attendees ORDER BY rowid").all() as unknown as AttendeeRow[])
      attendees.set(row.id, {
        id: row.id,
        name: row.name,
        tokenHash: row.token_hash,
        joinedAt: row.joined_at,
        lastSeenAt: row.last_seen_at,
        needsHelp: row.needs_help === 1,
        left: row.left_class === 1,
        posts: row.posts,
        cells: {},
      });
    for (const row of db.prepare("SELECT * FROM cells").all() as unknown as CellRow[]) {
      const attendee = attendees.get(row.attendee_id);
      if (!attendee) throw damaged(file, "a result belongs to nobody");
      attendee.cells[row.column_key] = {
        ok: row.ok === 1,
        runs: row.runs,
        everPassed: row.ever_passed === 1,
        durationMs: row.duration_ms,
        at: row.at,
      };
    }
    return {
      header: { code: header.code, trainerKey: header.trainer_key, createdAt: header.created_at },
      attendees: [...attendees.values()],
    };
  } catch (error) {
    db?.close();
    db = undefined;
    for (const path of companions) rmSync(path, { force: true });
    if (error instanceof ClassFileError) throw error;
    throw damaged(file, (error as Error).message);
  } finally {
    db?.close();
  }
}

/**
 * The class: its code, the trainer's key, attendees and their results, kept in an SQLite database
 * (write-ahead journal): each change is one small transaction, committed before it is acknowledged, so
 * a restart (or a crash) of the trainer's process finds the class as it was.
 */
export class ClassRoom {
  readonly file: string;
  readonly columns: CourseColumn[];
  private readonly header: ClassHeader;
  private readonly attendees: Attendee[];
  private readonly byToken = new Map<string, Attendee>();
  private readonly byId = new Map<string, Attendee>();
  private readonly known: Set<string>;
  private readonly now: () => Date;
  private readonly releaseLock: () => void;
  private readonly fresh: boolean;
  private db: DatabaseSync | undefined;
  maxAttendees = MAX_ATTENDEES;

  private constructor(
    file: string,
    columns: CourseColumn[],
    state: { header: ClassHeader; attendees: Attendee[] },
    options: { now: () => Date; releaseLock: () => void; fresh: boolean },
  ) {
    this.file = file;
    this.columns = columns;
    this.header = state.header;
    this.attendees = state.attendees;
    for (const attendee of this.attendees) {
      this.byId.set(attendee.id, attendee);
      if (!attendee.left) this.byToken.set(attendee.tokenHash, attendee);
    }
    this.known = new Set(columns.map((column) => column.key));
    this.now = options.now;
    this.releaseLock = options.releaseLock;
    this.fresh = options.fresh;
  }

  /**
   * Opens the class kept in `file` for this process alone, or starts a new one (a new code and key)
   * when there is none or `fresh`. Writes nothing to the class file before `persist()`; a file that
   * cannot be read, or that another server holds, is a ClassFileError.
   */
  static open(
    file: string,
    columns: CourseColumn[],
    options: { fresh?: boolean; now?: () => Date } = {},
  ): ClassRoom {
    const now = options.now ?? (() => new Date());
    const releaseLock = acquireFileLock(file);
    try {
      const fresh = options.fresh === true || !existsSync(file);
      const state = fresh
        ? {
            header: {
              code: newClassCode(),
              trainerKey: randomBytes(16).toString("hex"),
              createdAt: now().toISOString(),
            },
            attendees: [],
          }
        : readClassFile(file);
      return new ClassRoom(file, columns, state, { now, releaseLock, fresh });
    } catch (error) {
      releaseLock();
      throw error;
    }
  }

  /** The grid kept in `file`, read-only, while a server may hold it. */
  static read(file: string, columns: CourseColumn[]): Grid {
    const state = readClassFile(file);
    return gridOf(state.header, columns, state.attendees);
  }

  get code(): string {
    return this.header.code;
  }

  /** What the trainer's page and `status` show to read the grid. */
  get trainerKey(): string {
    return this.header.trainerKey;
  }

  isTrainerKey(key: string | undefined): boolean {
    if (!key || key.length !== this.header.trainerKey.length) return false;
    return hashToken(key) === hashToken(this.header.trainerKey);
  }

  join(code: string, rawName: string): { attendeeId: string; token: string; name: string } {
    if (code.trim().toUpperCase() !== this.header.code) throw new ClassError(403, "Wrong class code.");
    const name = validName(rawName);
    const folded = name.toLowerCase();
    const present = this.attendees.filter((attendee) => !attendee.left);
    if (present.some((attendee) => attendee.name.toLowerCase() === folded))
      throw new ClassError(409, `The name "${name}" is already taken in this class: choose another.`);
    if (present.length >= this.maxAttendees)
      throw new ClassError(
        403,
        `The class is full (${this.maxAttendees} attendees; the trainer can raise it with --max-attendees).`,
      );
    const token = randomBytes(24).toString("hex");
    const at = this.now().toISOString();
    const attendee: Attendee = {
      id: randomBytes(6).toString("hex"),
      name,
      tokenHash: hashToken(token),
      joinedAt: at,
      lastSeenAt: at,
      needsHelp: false,
      left: false,
      posts: 0,
      cells: {},
    };
    this.write((db) => insertAttendee(db, attendee));
    this.attendees.push(attendee);
    this.byId.set(attendee.id, attendee);
    this.byToken.set(attendee.tokenHash, attendee);
    return { attendeeId: attendee.id, token, name };
  }

  /** The attendee a token belongs to; a 401 for an unknown one. */
  attendeeOf(token: string | undefined): Attendee {
    const attendee = token ? this.byToken.get(hashToken(token)) : undefined;
    if (!attendee)
      throw new ClassError(
        401,
        "Unknown attendee: join the class first (pnpm classroom join URL --name NAME).",
      );
    return attendee;
  }

  /** Records outcomes (one transaction); an unknown example or criterion refuses the whole post. */
  post(token: string | undefined, outcomes: RunOutcome[]): string {
    const attendee = this.attendeeOf(token);
    const unknown = outcomes.filter((outcome) => !this.known.has(`${outcome.kind}:${outcome.id}`));
    if (unknown.length > 0) {
      throw new ClassError(
        422,
        `Unknown ${unknown.map((outcome) => `${outcome.kind} "${outcome.id}"`).join(", ")}: not part of this course.`,
      );
    }
    const at = this.now().toISOString();
    const cells = { ...attendee.cells };
    for (const outcome of outcomes) {
      const key = `${outcome.kind}:${outcome.id}`;
      const previous = cells[key];
      cells[key] = {
        ok: outcome.ok,
        runs: (previous?.runs ?? 0) + 1,
        everPassed: (previous?.everPassed ?? false) || outcome.ok,
        durationMs: Math.round(outcome.durationMs),
        at,
      };
    }
    const changed = [...new Set(outcomes.map((outcome) => `${outcome.kind}:${outcome.id}`))];
    this.write((db) => {
      const upsert = db.prepare(
        `INSERT INTO cells (attendee_id, column_key, ok, runs, ever_passed, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (attendee_id, column_key) DO UPDATE SET ok = excluded.ok, runs = excluded.runs,
         ever_passed = excluded.ever_passed, duration_ms = excluded.duration_ms, at = excluded.at`,
      );
      for (const key of changed) {
        const cell = cells[key]!;
        upsert.run(attendee.id, key, +cell.ok, cell.runs, +cell.everPassed, cell.durationMs, cell.at);
      }
      db.prepare("UPDATE attendees SET posts = posts + 1, last_seen_at = ? WHERE id = ?").run(
        at,
        attendee.id,
      );
    });
    attendee.cells = cells;
    attendee.posts += 1;
    attendee.lastSeenAt = at;
    return attendee.id;
  }

  setHelp(token: string | undefined, needsHelp: boolean): string {
    const attendee = this.attendeeOf(token);
    const at = this.now().toISOString();
    this.write((db) =>
      db
        .prepare("UPDATE attendees SET needs_help = ?, last_seen_at = ? WHERE id = ?")
        .run(+needsHelp, at, attendee.id),
    );
    attendee.needsHelp = needsHelp;
    attendee.lastSeenAt = at;
    return attendee.id;
  }

  leave(token: string | undefined): string {
    const attendee = this.attendeeOf(token);
    this.write((db) =>
      db.prepare("UPDATE attendees SET left_class = 1, needs_help = 0 WHERE id = ?").run(attendee.id),
    );
    attendee.left = true;
    attendee.needsHelp = false;
    this.byToken.delete(attendee.tokenHash);
    return attendee.id;
  }

  grid(): Grid {
    return gridOf(this.header, this.columns, this.attendees);
  }

  /** One attendee's row, as the grid shows it. */
  row(id: string): GridRow | undefined {
    const attendee = this.byId.get(id);
    return attendee ? rowOf(attendee) : undefined;
  }

  passCounts(): Record<string, number> {
    return passCountsOf(this.columns, this.attendees);
  }

  /**
   * Writes the class to its file: `serve` does once it listens, so a refused start writes nothing.
   * A fresh class over an existing file keeps that file beside it (`<file>.<time>.old`).
   */
  persist(): void {
    if (this.db) return;
    mkdirSync(dirname(this.file), { recursive: true });
    if (this.fresh && existsSync(this.file)) {
      const aside = `${this.file}.${this.now().toISOString().replace(/[:.]/g, "-")}.old`;
      renameSync(this.file, aside);
      for (const suffix of ["-wal", "-shm"])
        if (existsSync(this.file + suffix)) renameSync(this.file + suffix, aside + suffix);
    }
    const db = new DatabaseSync(this.file);
    chmodSync(this.file, 0o600);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    db.exec(SCHEMA);
    db.exec("BEGIN IMMEDIATE");
    try {
      db.prepare(
        "INSERT OR IGNORE INTO class (id, version, code, trainer_key, created_at) VALUES (1, ?, ?, ?, ?)",
      ).run(SCHEMA_VERSION, this.header.code, this.header.trainerKey, this.header.createdAt);
      if (this.fresh) for (const attendee of this.attendees) insertAttendee(db, attendee);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
    this.db = db;
  }

  /** Closes the database (its journal is folded in) and lets another server open the file. */
  close(): void {
    try {
      this.db?.close();
    } finally {
      this.db = undefined;
      this.releaseLock();
    }
  }

  /** One transaction, before anything in memory changes (a failed write changes nothing). */
  private write(change: (db: DatabaseSync) => void): void {
    if (!this.db) this.persist();
    const db = this.db!;
    db.exec("BEGIN IMMEDIATE");
    try {
      change(db);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}

function insertAttendee(db: DatabaseSync, attendee: Attendee): void {
  db.prepare(
    `INSERT INTO attendees (id, name, token_hash, joined_at, last_seen_at, needs_help, left_class, posts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    attendee.id,
    attendee.name,
    attendee.tokenHash,
    attendee.joinedAt,
    attendee.lastSeenAt,
    +attendee.needsHelp,
    +attendee.left,
    attendee.posts,
  );
}

function rowOf({ tokenHash: _, ...row }: Attendee): GridRow {
  return row;
}

function passCountsOf(columns: CourseColumn[], attendees: Attendee[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const column of columns) counts[column.key] = 0;
  for (const attendee of attendees) {
    if (attendee.left) continue;
    for (const [key, cell] of Object.entries(attendee.cells))
      if (cell.ok) counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function gridOf(header: ClassHeader, columns: CourseColumn[], attendees: Attendee[]): Grid {
  return {
    code: header.code,
    createdAt: header.createdAt,
    columns,
    passCounts: passCountsOf(columns, attendees),
    attendees: attendees.map(rowOf),
  };
}

export { validName };
