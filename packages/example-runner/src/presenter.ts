import { createInterface, type Interface } from "node:readline";

/** Presenter mode (--step): waits for Enter before each step, when there is a terminal to press it on. */
export class Presenter {
  private lines: Interface | undefined;
  private readonly pending: Array<() => void> = [];
  private announced = false;

  private readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  private readonly prompt: (text: string) => void;

  constructor(input: NodeJS.ReadableStream & { isTTY?: boolean }, prompt: (text: string) => void) {
    this.input = input;
    this.prompt = prompt;
  }

  async beforeStep(label: string): Promise<void> {
    if (!this.input.isTTY) {
      if (!this.announced)
        this.prompt("--step: stdin is not a terminal, so the steps run without waiting for Enter.");
      this.announced = true;
      return;
    }
    this.lines ??= this.listen();
    this.prompt(`Press Enter to run ${label} (Ctrl-C stops and cleans up)`);
    await new Promise<void>((resolve) => this.pending.push(resolve));
  }

  close(): void {
    this.lines?.close();
    this.lines = undefined;
  }

  private listen(): Interface {
    const lines = createInterface({ input: this.input, terminal: false });
    lines.on("line", () => this.pending.shift()?.());
    // readline swallows Ctrl-C on a raw terminal; hand it back to the process handlers.
    lines.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
    return lines;
  }
}
