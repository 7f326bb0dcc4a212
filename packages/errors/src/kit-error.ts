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

export function isKitError(error: unknown): error is KitError {
  return error instanceof KitError;
}
