import { isCi } from "@bct/errors";
import { describe } from "vitest";

export { isCi } from "@bct/errors";

import { connectEngine, type Engine } from "./engine.ts";
import { isKitError } from "./errors.ts";

/**
 * Engine tests: `describeWithEngine` runs the suite when an engine answers. Outside CI a missing engine
 * skips with a one-line reason; with CI set it fails, because CI must have started one.
 */
const probe: Promise<string | undefined> = connectEngine({ owner: "test:probe", pingTimeoutMs: 3000 })
  .then(() => undefined)
  .catch((error: unknown) =>
    isKitError(error) ? error.message.split("\n").slice(0, 2).join(" ") : String(error),
  );

const unreachable = await probe;

const inCi = isCi();

if (unreachable && !inCi) {
  process.stderr.write(`[ SKIP ] engine tests: no Docker Engine reachable (${unreachable})\n`);
}
if (unreachable && inCi) {
  throw new Error(`CI is set but no Docker Engine is reachable: ${unreachable}`);
}

export const describeWithEngine: typeof describe = (
  unreachable ? describe.skip : describe
) as typeof describe;

/** A connected engine for one test file, with its own session labelled for the test. */
export function testEngine(owner: string): Promise<Engine> {
  return connectEngine({ owner: `test:${owner}` });
}
