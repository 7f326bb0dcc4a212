/** What Node's and undici's connection error codes mean, in words an attendee can act on. */
const MEANINGS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (nothing is listening there)",
  ECONNRESET: "the connection was closed",
  UND_ERR_SOCKET: "the connection was closed",
  EPIPE: "the connection was closed",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be looked up",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_BODY_TIMEOUT: "the answer stopped coming",
  EHOSTUNREACH: "the host cannot be reached",
  ENETUNREACH: "the network cannot be reached",
  ABORT_ERR: "the request was stopped",
};

/** Why a request failed, for a message: a connection error's meaning rather than its code. */
export function networkFailure(error: unknown): string {
  const codeOf = (value: unknown) =>
    value && typeof value === "object" && "code" in value && typeof value.code === "string"
      ? value.code
      : undefined;
  const cause = error && typeof error === "object" && "cause" in error ? error.cause : undefined;
  for (const code of [codeOf(cause), codeOf(error)]) if (code && MEANINGS[code]) return MEANINGS[code];
  if (cause instanceof Error && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
