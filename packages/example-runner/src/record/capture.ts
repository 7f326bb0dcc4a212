import { Console, type Writable } from "@bct/cli";

/** What one step printed: its own output (what `docker` would print), separated from the runner's lines. */
export interface CapturedStep {
  index: number;
  stdout: string;
  stderr: string;
  /** From the runner's "exit code N" note; 0 when it printed none. */
  exitCode: number;
}

export interface StepStreams {
  out: Writable;
  console: Console;
}

/** Tees each step's streams: everything still reaches the terminal, and the step's text is kept. */
export class StepCapture {
  readonly steps: CapturedStep[] = [];

  /** The streams to run step `index` (1-based) with. */
  step(index: number, base: StepStreams): StepStreams {
    const captured: CapturedStep = { index, stdout: "", stderr: "", exitCode: 0 };
    this.steps.push(captured);
    const out = tee(base.out, (text) => {
      captured.stdout += text;
    });
    const stderr = tee(base.console.stderr, (text) => {
      captured.stderr += text;
    });
    return { out, console: new CapturingConsole(base.console, stderr, captured) };
  }
}

function tee(target: Writable, keep: (text: string) => void): Writable {
  return {
    isTTY: target.isTTY,
    write(chunk: string) {
      keep(String(chunk));
      return target.write(chunk);
    },
  } as Writable;
}

/** The base console's behaviour; progress lines and the runner's own notes are not part of the step's output. */
class CapturingConsole extends Console {
  private readonly base: Console;
  private readonly captured: CapturedStep;

  constructor(base: Console, stderr: Writable, captured: CapturedStep) {
    super(base.stdout, stderr, { NO_COLOR: "1" });
    this.base = base;
    this.captured = captured;
  }

  override info(message: string): void {
    const code = /^exit code (\d+)$/.exec(message);
    if (code) this.captured.exitCode = Number(code[1]);
    this.base.info(message);
  }

  override warn(message: string): void {
    this.base.warn(message);
  }

  override error(message: string): void {
    this.base.error(message);
  }

  override progress(line: string): void {
    this.base.progress(line);
  }

  override endProgress(): void {
    this.base.endProgress();
  }
}
