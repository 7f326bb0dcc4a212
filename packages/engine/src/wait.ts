import { networkFailure } from "@bct/errors";
import { KitError } from "./errors.ts";

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Injected for tests. */
  now?: () => number;
}

export interface HttpWaitOptions extends WaitOptions {
  /** Keep waiting until the status is this one (default: any answer). */
  status?: number;
  /** Keep waiting until the body contains this text. */
  bodyIncludes?: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Waits until an HTTP URL answers (with the wanted status and text, when given) and returns the answer. */
export async function waitForHttp(url: string, options: HttpWaitOptions = {}): Promise<HttpAnswer> {
  let answer: HttpAnswer | undefined;
  const wanted = [
    options.status ? `status ${options.status}` : "",
    options.bodyIncludes ? `a body containing "${options.bodyIncludes}"` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  await poll(`${url} to answer${wanted ? ` with ${wanted}` : ""}`, options, async () => {
    answer = await fetchText(url, 2000);
    if (options.status && answer.status !== options.status) return `got status ${answer.status}`;
    if (options.bodyIncludes && !answer.body.includes(options.bodyIncludes)) {
      return `body was ${JSON.stringify(answer.body.slice(0, 80))}`;
    }
    return undefined;
  });
  return answer!;
}

/**
 * GETs a URL, giving up after `timeoutMs`. The timer is an ordinary (ref'd) one: AbortSignal.timeout's
 * timer does not keep the process alive, so a CLI awaiting a silent server at top level would end with
 * Node's exit code 13 ("unsettled top-level await") instead of a timeout.
 */
export async function fetchText(url: string, timeoutMs = 5000): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${formatSeconds(timeoutMs)}`)),
    timeoutMs,
  );
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: "manual" });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { status: response.status, body: await response.text(), headers };
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `attempt` until it returns undefined (success) or the time is up; a string or throw is a failure. */
async function poll(
  what: string,
  options: WaitOptions,
  attempt: () => Promise<string | undefined>,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  const deadline = now() + timeoutMs;
  let last = "no attempt made";
  for (;;) {
    try {
      const failure = await attempt();
      if (failure === undefined) return;
      last = failure;
    } catch (error) {
      last = networkFailure(error);
    }
    if (now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new KitError("TIMEOUT", `Waited ${formatSeconds(timeoutMs)} for ${what}; last attempt: ${last}.`);
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
