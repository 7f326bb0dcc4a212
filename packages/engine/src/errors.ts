import { KitError } from "@bct/errors";

export { EXIT, isKitError, KitError, type KitErrorCode } from "@bct/errors";

export interface FailingInstruction {
  /** BuildKit's name for the step, e.g. "2/3" or "build 2/4", when the failure was in a step. */
  step: string | undefined;
  /** The instruction as written in the Dockerfile, e.g. "RUN make". */
  text: string;
  /** 1-based line in the Dockerfile, when known. */
  line: number | undefined;
}

export interface BuildErrorDetails {
  image: string;
  dockerfile: string;
  instruction: FailingInstruction | undefined;
  /** BuildKit's own error. */
  builderMessage: string;
  /** The last lines the failing step printed (a compiler's error, a failing command's message). */
  stepOutput: string[];
  /** The whole build output, as plain progress prints it. */
  log: string;
}

/** A build that failed: which instruction, what it printed, and what the builder said. */
export class BuildError extends KitError {
  readonly instruction: FailingInstruction | undefined;
  readonly builderMessage: string;
  readonly stepOutput: string[];
  readonly log: string;

  constructor(details: BuildErrorDetails) {
    const where = details.instruction
      ? `${details.instruction.text}${details.instruction.line ? ` (${details.dockerfile} line ${details.instruction.line})` : ""}`
      : "before the first instruction";
    super("BUILD_FAILED", `Building ${details.image} failed at ${where}: ${details.builderMessage}`, {
      hint: `Fix that instruction in ${details.dockerfile}, then build again.`,
    });
    this.instruction = details.instruction;
    this.builderMessage = details.builderMessage;
    this.stepOutput = details.stepOutput;
    this.log = details.log;
  }
}

/** The message dockerode puts on an HTTP error from the engine, without its "(HTTP code 409) conflict - " prefix. */
export function engineMessage(error: unknown): string {
  if (error && typeof error === "object") {
    const json = (error as { json?: { message?: string } }).json;
    if (json?.message) return json.message.trim();
    const message = (error as { message?: string }).message;
    if (message) return message.replace(/^\(HTTP code \d+\)\s*[a-z ]+\s*-\s*/i, "").trim();
  }
  return String(error);
}

export function engineStatusCode(error: unknown): number | undefined {
  if (error && typeof error === "object" && "statusCode" in error) {
    const code = (error as { statusCode?: unknown }).statusCode;
    return typeof code === "number" ? code : undefined;
  }
  return undefined;
}
