import { createHash } from "node:crypto";

/** What a recording replaces so that two runs of the same example store the same text. */
export interface NormaliseContext {
  /** The run's session id (labels and tags carry it). */
  sessionId: string;
  /** The repository root: absolute paths under it become ~/basic-containers-training/... */
  repoRoot: string;
}

/** A fake hex value of the same length, one per real value: one image shows one digest across the deck. */
function fakeHex(value: string, length: number): string {
  let hex = "";
  for (let round = 0; hex.length < length; round++)
    hex += createHash("sha256").update(`bct-recording:${value}:${round}`).digest("hex");
  return hex.slice(0, length);
}

/**
 * Replaces what changes from run to run by stable stand-ins of the same shape, so that the step's
 * expectations still hold on the recorded text: ids and digests (64 hex, and the 12-hex short form of
 * the same id), the session id, temporary work dirs, absolute repository paths, clock times and
 * durations of build steps. Sizes stay as measured: they are the point of several slides.
 */
export class Normaliser {
  private readonly ids = new Map<string, string>();

  private readonly context: NormaliseContext;

  constructor(context: NormaliseContext) {
    this.context = context;
  }

  text(input: string): string {
    let text = input.split(this.context.repoRoot).join("~/basic-containers-training");
    if (this.context.sessionId) text = text.split(this.context.sessionId).join("session");
    text = text.replace(/\/tmp\/bct-([a-z0-9-]+?)-[A-Za-z0-9]{6}(?=[/\s"':]|$)/gm, "/tmp/bct-$1-XXXXXX");
    text = text.replace(/\b[0-9a-f]{64}\b/g, (id) => this.long(id));
    text = text.replace(/\b[0-9a-f]{12}\b/g, (id) =>
      /[a-f]/.test(id) && /[0-9]/.test(id) ? this.short(id) : id,
    );
    // ISO timestamps (docker inspect, logs), then `date` output, then build-step durations.
    text = text.replace(
      /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g,
      (_, fraction, zone) =>
        `2026-12-01T10:00:00${fraction ? `.${"0".repeat(fraction.length - 1)}` : ""}${zone}`,
    );
    text = text.replace(
      /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2} ([A-Z]{2,5}) \d{4}\b/g,
      (_, _day, _month, zone) => `Tue Dec  1 10:00:00 ${zone} 2026`,
    );
    text = text.replace(/^(#\d+ (?:DONE|CACHED|ERROR)?\s*)\d+\.\d+s$/gm, "$10.0s");
    text = text.replace(/^(#\d+ )\d+\.\d+ /gm, "$10.000 ");
    return text;
  }

  private long(id: string): string {
    let fake = this.ids.get(id);
    if (!fake) {
      fake = fakeHex(id, 64);
      this.ids.set(id, fake);
    }
    return fake;
  }

  private short(id: string): string {
    for (const [known, fake] of this.ids) if (known.startsWith(id)) return fake.slice(0, 12);
    return this.long(id.padEnd(64, "0")).slice(0, 12);
  }
}
