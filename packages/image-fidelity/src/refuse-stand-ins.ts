import { connectEngine } from "@bct/engine";
import { imageMode } from "./mode.ts";
import { courseImageRefs, standInRefusal, standInsAmong } from "./upstream.ts";

/**
 * Run by `pnpm test` (scripts/test.ts) before any test: with BCT_IMAGES=upstream, stop when a course image
 * on the engine is a stand-in (a run against the real images must not pass on copies). Without an engine
 * there is nothing to refuse; the engine tests report that themselves.
 */
export default async function refuseStandInsForUpstreamRuns(): Promise<void> {
  if (imageMode() !== "upstream") return;
  const engine = await connectEngine({ owner: "test:upstream-images", pingTimeoutMs: 3000 }).catch(
    () => undefined,
  );
  if (!engine) return;
  try {
    const standIns = await standInsAmong(engine, await courseImageRefs());
    if (standIns.length > 0) throw new Error(standInRefusal(standIns));
  } finally {
    await engine.cleanup();
  }
}
