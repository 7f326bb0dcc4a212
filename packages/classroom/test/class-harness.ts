import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClassAnswer, classRequest } from "@bct/attendee";
import { courseImages } from "@bct/example-runner";
import { createClassServer } from "../src/class-server.ts";
import { ClassRoom } from "../src/class-state.ts";
import { courseColumns } from "../src/course-columns.ts";
import { listenOn } from "../src/listen.ts";
import { findRepoRoot } from "../src/repo-root.ts";

export const repoRoot = findRepoRoot();

/** The grid's columns as the course has them today: every example of the deck, then the exercise's criteria. */
export const course = await courseColumns(repoRoot);
export const courseExamples = course.filter((column) => column.kind === "example").length;

/**
 * The base image of the multi-arch example (an alpine tag), read from the course: tests build on it
 * because it is small and present for every platform, and its tag moves with the course.
 */
export async function multiArchBase(): Promise<string> {
  const images = await courseImages(repoRoot);
  const base = images.find((image) => image.usedBy.includes("examples/multi-arch/Dockerfile"));
  if (!base) throw new Error("examples/multi-arch/Dockerfile names no upstream image");
  return base.ref;
}

export interface RunningClass {
  room: ClassRoom;
  server: Server;
  url: string;
  file: string;
  /** The grid's path with the trainer's key. */
  gridPath: string;
  close(): Promise<void>;
}

/** A class server on 127.0.0.1 (a free port), its class kept in `file`. */
export async function startClass(
  file: string,
  options: {
    postRate?: { perSecond: number; burst: number };
    fresh?: boolean;
    port?: number;
    maxViews?: number;
  } = {},
): Promise<RunningClass> {
  const room = ClassRoom.open(file, await courseColumns(repoRoot), { fresh: options.fresh });
  let url = "";
  const server = createClassServer({
    room,
    joinUrls: () => [url],
    postRate: options.postRate,
    maxViews: options.maxViews,
  });
  const port = await listenOn(server, options.port ?? 0, "127.0.0.1");
  room.persist();
  url = `http://127.0.0.1:${port}`;
  return {
    room,
    server,
    url,
    file,
    gridPath: `/api/grid?key=${room.trainerKey}`,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          room.close();
          resolve();
        }),
      ),
  };
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function joinAs(url: string, code: string, name: string): Promise<string> {
  const answer = await classRequest(url, "/api/join", { body: { code, name } });
  if (answer.status !== 201) throw new Error(`join ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { token: string }).token;
}

export function post(url: string, token: string, results: unknown[]): Promise<ClassAnswer> {
  return classRequest(url, "/api/results", { token, body: { results } });
}

/** A raw request, for bodies classRequest would never send. */
export async function raw(
  url: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: { error?: string } & Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? "POST",
    headers: init.headers,
    body: init.body,
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body, headers: response.headers };
}
