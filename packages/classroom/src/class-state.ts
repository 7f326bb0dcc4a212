import { createHash, randomBytes, randomInt } from "node:crypto";
import { type RunOutcome, readJsonFile, writeJsonFileAtomically } from "@bct/attendee";
import { z } from "zod";
import type { CourseColumn } from "./course-columns.ts";

/** Letters and digits nobody confuses when read off a projector (no 0/O, 1/I/L). */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 6;
export const MAX_ATTENDEES = 200;
export const MAX_NAME_LENGTH = 40;

export function newClassCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

const cellSchema = z
  .object({
    ok: z.boolean(),
    runs: z.number().int(),
    everPassed: z.boolean(),
    durationMs: z.number(),
    at: z.string(),
  })
  .strict();
export type Cell = z.infer<typeof cellSchema>;

const attendeeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tokenHash: z.string(),
    joinedAt: z.string(),
    lastSeenAt: z.string(),
    needsHelp: z.boolean(),
    left: z.boolean(),
    posts: z.number().int(),
    cells: z.record(z.string(), cellSchema),
  })
  .strict();
type Attendee = z.infer<typeof attendeeSchema>;

const classFileSchema = z
  .object({
    version: z.literal(1),
    code: z.string(),
    createdAt: z.string(),
    attendees: z.array(attendeeSchema),
  })
  .strict();
export type ClassFile = z.infer<typeof classFileSchema>;

/** A refusal the server turns into an HTTP status and a JSON { error }. */
export class ClassError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
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

/**
 * The class: its code, attendees and their results, kept in one JSON file that is rewritten atomically
 * after every change, so a restart of the trainer's process finds the class as it was.
 */
export class ClassRoom {
  private readonly file: string;
  private readonly state: ClassFile;
  readonly columns: CourseColumn[];
  private readonly now: () => Date;

  private constructor(file: string, state: ClassFile, columns: CourseColumn[], now: () => Date) {
    this.file = file;
    this.state = state;
    this.columns = columns;
    this.now = now;
  }

  /** Opens the class kept in `file`, or starts a new one (a new code) when there is none or `fresh`; writes nothing. */
  static open(
    file: string,
    columns: CourseColumn[],
    options: { fresh?: boolean; now?: () => Date } = {},
  ): ClassRoom {
    const now = options.now ?? (() => new Date());
    const existing = options.fresh ? undefined : readJsonFile(file);
    let state: ClassFile;
    if (existing === undefined) {
      state = { version: 1, code: newClassCode(), createdAt: now().toISOString(), attendees: [] };
    } else {
      const parsed = classFileSchema.safeParse(existing);
      if (!parsed.success) {
        throw new Error(
          `${file} is not a class file: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`,
        );
      }
      state = parsed.data;
    }
    return new ClassRoom(file, state, columns, now);
  }

  get code(): string {
    return this.state.code;
  }

  join(code: string, rawName: string): { attendeeId: string; token: string; name: string } {
    if (code.trim().toUpperCase() !== this.state.code) throw new ClassError(403, "Wrong class code.");
    const name = validName(rawName);
    const taken = this.state.attendees.find(
      (attendee) => attendee.name.toLowerCase() === name.toLowerCase() && !attendee.left,
    );
    if (taken)
      throw new ClassError(409, `The name "${name}" is already taken in this class: choose another.`);
    if (this.state.attendees.filter((attendee) => !attendee.left).length >= MAX_ATTENDEES)
      throw new ClassError(403, `The class is full (${MAX_ATTENDEES} attendees).`);
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
    this.state.attendees.push(attendee);
    this.save();
    return { attendeeId: attendee.id, token, name };
  }

  /** The attendee a token belongs to; a 401 for an unknown one. */
  attendeeOf(token: string | undefined): Attendee {
    const hash = token ? hashToken(token) : "";
    const attendee = this.state.attendees.find(
      (candidate) => candidate.tokenHash === hash && !candidate.left,
    );
    if (!attendee)
      throw new ClassError(
        401,
        "Unknown attendee: join the class first (pnpm classroom join URL --name NAME).",
      );
    return attendee;
  }

  /** Records outcomes; an unknown example or criterion refuses the whole post. */
  post(token: string | undefined, outcomes: RunOutcome[]): void {
    const attendee = this.attendeeOf(token);
    const known = new Set(this.columns.map((column) => column.key));
    const unknown = outcomes.filter((outcome) => !known.has(`${outcome.kind}:${outcome.id}`));
    if (unknown.length > 0) {
      throw new ClassError(
        422,
        `Unknown ${unknown.map((outcome) => `${outcome.kind} "${outcome.id}"`).join(", ")}: not part of this course.`,
      );
    }
    const at = this.now().toISOString();
    for (const outcome of outcomes) {
      const key = `${outcome.kind}:${outcome.id}`;
      const previous = attendee.cells[key];
      attendee.cells[key] = {
        ok: outcome.ok,
        runs: (previous?.runs ?? 0) + 1,
        everPassed: (previous?.everPassed ?? false) || outcome.ok,
        durationMs: Math.round(outcome.durationMs),
        at,
      };
    }
    attendee.posts += 1;
    attendee.lastSeenAt = at;
    this.save();
  }

  setHelp(token: string | undefined, needsHelp: boolean): void {
    const attendee = this.attendeeOf(token);
    attendee.needsHelp = needsHelp;
    attendee.lastSeenAt = this.now().toISOString();
    this.save();
  }

  leave(token: string | undefined): void {
    const attendee = this.attendeeOf(token);
    attendee.left = true;
    attendee.needsHelp = false;
    this.save();
  }

  grid(): Grid {
    const passCounts: Record<string, number> = {};
    for (const column of this.columns) passCounts[column.key] = 0;
    for (const attendee of this.state.attendees) {
      if (attendee.left) continue;
      for (const [key, cell] of Object.entries(attendee.cells))
        if (cell.ok) passCounts[key] = (passCounts[key] ?? 0) + 1;
    }
    return {
      code: this.state.code,
      createdAt: this.state.createdAt,
      columns: this.columns,
      passCounts,
      attendees: this.state.attendees.map(({ tokenHash: _, ...row }) => row),
    };
  }

  /** Writes the class to its file; every change does, and `serve` does once it listens (so the code is kept). */
  persist(): void {
    writeJsonFileAtomically(this.file, this.state);
  }

  private save(): void {
    this.persist();
  }
}

/** A name as shown on the page: trimmed, 1-40 characters, no control characters. */
export function validName(raw: unknown): string {
  if (typeof raw !== "string") throw new ClassError(400, "name: a name is required.");
  const name = raw.trim().replace(/\s+/g, " ");
  if (name.length === 0) throw new ClassError(400, "name: must not be empty.");
  if ([...name].length > MAX_NAME_LENGTH)
    throw new ClassError(400, `name: at most ${MAX_NAME_LENGTH} characters.`);
  if (/\p{Cc}|\p{Cf}/u.test(name))
    throw new ClassError(400, "name: control or invisible characters are not allowed.");
  return name;
}
