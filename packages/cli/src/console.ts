import { colourEnabled, type Palette, palette } from "./colour.ts";

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Where a command speaks: results on stdout (and --json), progress and logs on stderr,
 * as `[ INFO ]`, `[ WARN ]`, `[ ERROR ]` lines.
 */
export class Console {
  readonly out: Palette;
  readonly err: Palette;

  readonly stdout: Writable;
  readonly stderr: Writable;

  constructor(
    stdout: Writable = process.stdout,
    stderr: Writable = process.stderr,
    env: Record<string, string | undefined> = process.env,
  ) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.out = palette(colourEnabled(stdout, env));
    this.err = palette(colourEnabled(stderr, env));
  }

  /** A line of result on stdout. */
  print(line = ""): void {
    this.stdout.write(`${line}\n`);
  }

  info(message: string): void {
    this.stderr.write(`${this.err.cyan("[ INFO ]")} ${message}\n`);
  }

  warn(message: string): void {
    this.stderr.write(`${this.err.yellow("[ WARN ]")} ${message}\n`);
  }

  error(message: string): void {
    this.stderr.write(`${this.err.red("[ ERROR ]")} ${message}\n`);
  }

  /** A transient progress line: rewritten in place on a TTY, printed when it changes otherwise. */
  progress(line: string): void {
    if (this.stderr.isTTY) this.stderr.write(`\r\u001b[2K${line}`);
    else if (line !== this.lastProgress) this.stderr.write(`${line}\n`);
    this.lastProgress = line;
  }

  /** A log line (a build's output) on stderr; on a TTY it goes above the progress line, which stays last. */
  log(line: string): void {
    if (this.stderr.isTTY && this.lastProgress !== undefined) {
      this.stderr.write(`\r\u001b[2K${line}\n${this.lastProgress}`);
    } else this.stderr.write(`${line}\n`);
  }

  endProgress(): void {
    if (this.stderr.isTTY && this.lastProgress !== undefined) this.stderr.write("\n");
    this.lastProgress = undefined;
  }

  private lastProgress: string | undefined;
}
