import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface ClassAnswer {
  status: number;
  body: unknown;
}

export interface ClassRequestOptions {
  method?: "GET" | "POST";
  token?: string;
  body?: unknown;
  timeoutMs?: number;
  /** Aborts the request (a run's end gives the post a fixed budget). */
  signal?: AbortSignal;
}

/** Largest answer read from a class server: it only ever sends small JSON. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** One JSON request to a class server; rejects on a network failure or the timeout, never hangs. */
export function classRequest(
  baseUrl: string,
  path: string,
  options: ClassRequestOptions = {},
): Promise<ClassAnswer> {
  const url = new URL(path, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method ?? (payload === undefined ? "GET" : "POST"),
        headers: {
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        timeout: options.timeoutMs ?? 5000,
        // One connection per request: an attendee posts once a run, and a kept-alive socket that the
        // server closes just as it is reused would turn a post into a reset.
        agent: false,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES)
            req.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text for the error message
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** The server's own error text from a JSON answer ({ error }), else the status. */
export function answerError(answer: ClassAnswer): string {
  const body = answer.body as { error?: unknown } | undefined;
  return typeof body?.error === "string" ? body.error : `HTTP ${answer.status}`;
}
