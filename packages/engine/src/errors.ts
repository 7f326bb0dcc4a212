import { KitError } from "@bct/errors";

export { EXIT, isKitError, KitError, type KitErrorCode } from "@bct/errors";

export interface FailingInstruction {
  /** "Step 3/5" as the classic builder numbers it, when known. */
  step: string | undefined;
  /** The instruction as the builder printed it, e.g. "RUN make". */
  text: string;
  /** 1-based line in the Dockerfile, when it could be found. */
  line: number | undefined;
}

/** A build that failed: which instruction, and what the builder said. */
export class BuildError extends KitError {
  readonly instruction: FailingInstruction | undefined;
  readonly builderMessage: string;
  readonly log: string;

  constructor(args: {
    image: string;
    instruction: FailingInstruction | undefined;
    builderMessage: string;
    log: string;
    dockerfile: string;
  }) {
    const where = args.instruction
      ? `${args.instruction.text}${args.instruction.line ? ` (${args.dockerfile} line ${args.instruction.line})` : ""}`
      : "before the first instruction";
    super("BUILD_FAILED", `Building ${args.image} failed at ${where}: ${args.builderMessage}`, {
      hint: `Fix that instruction in ${args.dockerfile}, then build again.`,
    });
    this.instruction = args.instruction;
    this.builderMessage = args.builderMessage;
    this.log = args.log;
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
