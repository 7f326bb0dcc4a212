import { rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFileAtomically } from "./json-file.ts";
import { runOutcomeSchema } from "./run-outcome.ts";

export const MEMBERSHIP_FILE = "classroom.json";

/** Results kept for a trainer who is away; the oldest go first past this. */
export const OUTBOX_LIMIT = 200;

const membershipSchema = z
  .object({
    url: z.string().url().describe("The class server's origin, e.g. http://192.168.1.20:4200"),
    code: z.string(),
    name: z.string(),
    attendeeId: z.string(),
    token: z.string(),
    joinedAt: z.string(),
    outbox: z.array(runOutcomeSchema).default([]),
    /** After a failed post, no new attempt before this time (ms since epoch): a trainer away costs one try a minute. */
    awayUntil: z.number().default(0),
  })
  .strict();
export type Membership = z.infer<typeof membershipSchema>;

export function membershipFile(dir: string): string {
  return join(dir, MEMBERSHIP_FILE);
}

export function readMembership(dir: string): Membership | undefined {
  const parsed = membershipSchema.safeParse(readJsonFile(membershipFile(dir)));
  return parsed.success ? parsed.data : undefined;
}

export function saveMembership(dir: string, membership: Membership): void {
  writeJsonFileAtomically(membershipFile(dir), {
    ...membership,
    outbox: membership.outbox.slice(-OUTBOX_LIMIT),
  });
}

export function removeMembership(dir: string): void {
  rmSync(membershipFile(dir), { force: true });
}
