/**
 * Reads `docker buildx build --progress=rawjson` (one JSON object a line on stderr, as buildx 0.29 writes
 * it: `vertexes`, `statuses`, `logs`, `warnings`) and turns it into what `--progress=plain` prints, while
 * keeping each step's own output for the error report. After the JSON, buildx prints the failing
 * Dockerfile excerpt and its `ERROR:` line as plain text; those are read too.
 */

interface RawVertex {
  digest: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

interface RawStatus {
  id: string;
  vertex: string;
  name?: string;
  current?: number;
  total?: number;
  started?: string;
  completed?: string;
}

interface RawLog {
  vertex: string;
  stream?: number;
  data: string;
  timestamp?: string;
}

interface RawWarning {
  short?: string;
  range?: Array<{ start?: { line?: number } }>;
}

interface RawSolveStatus {
  vertexes?: RawVertex[];
  statuses?: RawStatus[];
  logs?: RawLog[];
  warnings?: RawWarning[];
}

/** One vertex of the solve: a Dockerfile step ("[2/3] RUN make") or an internal one ("[internal] load …"). */
export interface BuildStep {
  /** "#4", numbered in the order the steps start, as plain progress numbers them. */
  number: number;
  name: string;
  cached: boolean;
  startedMs: number | undefined;
  durationMs: number | undefined;
  error: string | undefined;
  /** The step's own output (stdout and stderr of a RUN), line by line; the last lines only for long output. */
  output: string[];
}

/** Where buildx says the build failed: the file and line of its Dockerfile excerpt, and that line's text. */
export interface FailureLocation {
  file: string;
  line: number;
  text: string | undefined;
}

const OUTPUT_LINES_KEPT = 200;
const CANCELLED = /context canceled/i;

export class BuildProgress {
  private readonly steps = new Map<string, BuildStep>();
  private readonly partial = new Map<string, string>();
  private readonly reportedStatuses = new Set<string>();
  private nextNumber = 1;
  private readonly plainText: string[] = [];
  /** A step's DONE line waits for the next event: BuildKit may yet report the step as cached. */
  private pendingDone: { step: BuildStep; line: string } | undefined;
  readonly warnings: string[] = [];

  /** `onLine` receives each line of the plain rendering as it happens. */
  private readonly onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.onLine = onLine;
  }

  /** One line of buildx's stderr. */
  feed(line: string): void {
    if (line.startsWith("{")) {
      let event: RawSolveStatus;
      try {
        event = JSON.parse(line) as RawSolveStatus;
      } catch {
        this.text(line);
        return;
      }
      for (const vertex of event.vertexes ?? []) this.vertex(vertex);
      for (const status of event.statuses ?? []) this.status(status);
      for (const log of event.logs ?? []) this.log(log);
      for (const warning of event.warnings ?? []) this.warning(warning);
      return;
    }
    this.text(line);
  }

  /** Flushes partial output lines and prints the warnings, as plain progress does at the end. */
  finish(): void {
    this.flushDone();
    for (const [digest, rest] of this.partial) {
      const step = this.steps.get(digest);
      if (step && rest !== "") this.outputLine(step, rest, undefined);
    }
    this.partial.clear();
    if (this.warnings.length > 0) {
      this.emit("");
      this.emit(`${this.warnings.length} warning${this.warnings.length === 1 ? "" : "s"} found:`);
      for (const warning of this.warnings) this.emit(` - ${warning}`);
    }
  }

  /** Every step in the order it started. */
  allSteps(): BuildStep[] {
    return [...this.steps.values()].sort((a, b) => a.number - b.number);
  }

  /** The step that failed (not one cancelled because another failed). */
  failedStep(): BuildStep | undefined {
    const failed = this.allSteps().filter((step) => step.error !== undefined);
    return failed.find((step) => !CANCELLED.test(step.error!)) ?? failed[0];
  }

  /** BuildKit's own error, from buildx's `ERROR:` line, without the "failed to build: failed to solve:" prefix. */
  builderError(): string | undefined {
    const line = [...this.plainText].reverse().find((text) => /^ERROR:/.test(text));
    if (!line) return this.failedStep()?.error;
    return line
      .replace(/^ERROR:\s*/, "")
      .replace(/^failed to build:\s*/, "")
      .replace(/^failed to solve:\s*/, "")
      .trim();
  }

  /** The "Dockerfile:3" excerpt buildx prints after a failure, with the marked line's text. */
  failureLocation(): FailureLocation | undefined {
    for (let index = 0; index < this.plainText.length; index++) {
      const header = /^(.+):(\d+)$/.exec(this.plainText[index]!);
      if (!header || !/^-{5,}$/.test(this.plainText[index + 1] ?? "")) continue;
      const excerpt: string[] = [];
      for (const text of this.plainText.slice(index + 2)) {
        if (/^-{5,}$/.test(text)) break;
        excerpt.push(text);
      }
      const marked = excerpt
        .map((text) => /^\s*\d+\s*\|\s*>>>\s?(.*)$/.exec(text)?.[1])
        .filter((text): text is string => text !== undefined)
        .map((text) => text.trim().replace(/\\$/, "").trim());
      return {
        file: header[1]!,
        line: Number(header[2]),
        text: marked.length > 0 ? marked.join(" ") : undefined,
      };
    }
    return undefined;
  }

  /** The plain lines buildx printed besides the JSON (the failure excerpt, the ERROR line). */
  trailer(): string[] {
    return [...this.plainText];
  }

  private text(line: string): void {
    if (line.trim() === "") return;
    this.plainText.push(line);
    this.emit(line);
  }

  private vertex(raw: RawVertex): void {
    let step = this.steps.get(raw.digest);
    if (!step && !raw.started && !raw.cached && !raw.completed) return;
    if (!step) {
      step = {
        number: this.nextNumber++,
        name: raw.name ?? raw.digest,
        cached: false,
        startedMs: undefined,
        durationMs: undefined,
        error: undefined,
        output: [],
      };
      this.steps.set(raw.digest, step);
      this.emit("");
      this.emit(`#${step.number} ${step.name}`);
    }
    if (raw.started) {
      const started = Date.parse(raw.started);
      const restarted = step.durationMs !== undefined && !raw.completed;
      if (step.startedMs === undefined || restarted) step.startedMs = started;
      if (restarted) {
        step.durationMs = undefined;
        if (this.pendingDone?.step === step) this.pendingDone = undefined;
      }
    }
    if (raw.cached && !step.cached) {
      step.cached = true;
      if (this.pendingDone?.step === step) this.pendingDone = undefined;
      this.emit(`#${step.number} CACHED`);
      return;
    }
    if (raw.completed && step.durationMs === undefined && !step.cached) {
      const started = raw.started ? Date.parse(raw.started) : (step.startedMs ?? Date.parse(raw.completed));
      step.durationMs = Math.max(0, Date.parse(raw.completed) - started);
      const rest = this.partial.get(raw.digest);
      if (rest) this.outputLine(step, rest, undefined);
      this.partial.delete(raw.digest);
      if (raw.error) {
        step.error = raw.error;
        this.emit(`#${step.number} ERROR: ${raw.error}`);
      } else {
        this.flushDone();
        this.pendingDone = { step, line: `#${step.number} DONE ${seconds(step.durationMs)}` };
      }
    }
  }

  private status(raw: RawStatus): void {
    const step = this.steps.get(raw.vertex);
    if (!step || !raw.completed) return;
    const key = `${raw.vertex} ${raw.id}`;
    if (this.reportedStatuses.has(key)) return;
    this.reportedStatuses.add(key);
    const size = raw.name === "transferring" && raw.current !== undefined ? ` ${bytes(raw.current)}` : "";
    const took =
      raw.started && !size ? ` ${seconds(Date.parse(raw.completed) - Date.parse(raw.started))}` : "";
    const line = `#${step.number} ${raw.id}${size}${took} done`;
    // A status of a step whose DONE waits comes before that DONE, as plain progress prints it.
    if (this.pendingDone?.step === step) this.onLine(line);
    else this.emit(line);
  }

  private log(raw: RawLog): void {
    const step = this.steps.get(raw.vertex);
    if (!step) return;
    const text = (this.partial.get(raw.vertex) ?? "") + Buffer.from(raw.data, "base64").toString("utf8");
    const lines = text.split(/\r\n|\n|\r/);
    this.partial.set(raw.vertex, lines.pop() ?? "");
    const at = raw.timestamp ? Date.parse(raw.timestamp) : undefined;
    for (const line of lines) this.outputLine(step, line, at);
  }

  private outputLine(step: BuildStep, line: string, at: number | undefined): void {
    step.output.push(line);
    if (step.output.length > OUTPUT_LINES_KEPT) step.output.shift();
    const offset =
      at !== undefined && step.startedMs !== undefined ? `${((at - step.startedMs) / 1000).toFixed(3)} ` : "";
    this.emit(`#${step.number} ${offset}${line}`);
  }

  private warning(raw: RawWarning): void {
    if (!raw.short) return;
    this.warnings.push(Buffer.from(raw.short, "base64").toString("utf8"));
  }

  private emit(line: string): void {
    this.flushDone();
    this.onLine(line);
  }

  private flushDone(): void {
    const pending = this.pendingDone;
    this.pendingDone = undefined;
    if (pending) this.onLine(pending.line);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function bytes(count: number): string {
  if (count < 1024) return `${count}B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(2)}kB`;
  return `${(count / 1024 / 1024).toFixed(2)}MB`;
}
