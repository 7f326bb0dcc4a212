/** Exit codes shared by every CLI of the kit. */
export const EXIT = {
  ok: 0,
  unmet: 1,
  failure: 2,
  interrupted: 130,
} as const;

export type KitErrorCode =
  | "ENGINE_UNREACHABLE"
  | "ENGINE_ERROR"
  | "BUILD_FAILED"
  | "PULL_FAILED"
  | "PUSH_FAILED"
  | "IMAGE_MISSING"
  | "NAME_CLASH"
  | "NOT_MANAGED"
  | "PORT_IN_USE"
  | "TIMEOUT"
  | "INTERRUPTED"
  | "INVALID_INPUT"
  | "UNMET"
  | "COMMAND_FAILED"
  | "REQUIREMENT_MISSING";

export interface KitErrorOptions {
  hint?: string;
  cause?: unknown;
  exitCode?: number;
}

/** An error the kit expects and can explain: it carries a code, an exit code and what to do next. */
export class KitError extends Error {
  readonly code: KitErrorCode;
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(code: KitErrorCode, message: string, options: KitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KitError";
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? defaultExitCode(code);
  }
}

function defaultExitCode(code: KitErrorCode): number {
  if (code === "UNMET") return EXIT.unmet;
  if (code === "INTERRUPTED") return EXIT.interrupted;
  return EXIT.failure;
}

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

export function isKitError(error: unknown): error is KitError {
  return error instanceof KitError;
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
