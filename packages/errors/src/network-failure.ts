/** Node's and undici's connection error codes, in the words of someone debugging a server. */
const MEANINGS: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing listens there",
  ECONNRESET: "the connection was closed before an answer",
  UND_ERR_SOCKET: "the connection was closed without an answer",
  UND_ERR_CLOSED: "the connection was closed without an answer",
  EPIPE: "the connection was closed while sending",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_BODY_TIMEOUT: "the answer stopped halfway",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (name lookup failed)",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ENOENT: "no socket at that path: the engine is not running, or listens elsewhere",
  EACCES: "permission denied: your user may not use that socket (the docker group, or rootless Docker)",
  ABORT_ERR: "the request was stopped",
};

/** Why a request or connection failed, in words ("connection refused: nothing listens there"), never a bare code. */
export function networkFailure(error: unknown): string {
  const codeOf = (value: unknown) =>
    value && typeof value === "object" && "code" in value && typeof value.code === "string"
      ? value.code
      : undefined;
  const cause = error && typeof error === "object" && "cause" in error ? error.cause : undefined;
  for (const code of [codeOf(cause), codeOf(error)]) if (code && MEANINGS[code]) return MEANINGS[code];
  if (cause instanceof Error && cause.message) return cause.message;
  if (!(error instanceof Error)) return String(error);
  return error.message === "fetch failed" ? "the request failed" : error.message;
}
