import type { Engine } from "@bct/engine";
import { courseImages } from "../course-images.ts";
import type { LoadedExample } from "../loader.ts";
import type { ExampleReport } from "../report.ts";
import { type RunExampleOptions, runExample } from "../run-example.ts";
import { StepCapture } from "./capture.ts";
import { buildRecording, writeRecording } from "./recording.ts";

export interface RecordedRun {
  report: ExampleReport;
  /** The recording written, or why none was. */
  file?: string;
  notRecorded?: string;
}

/** `pnpm example NAME --record`: runs the example as usual and, when every step passed, stores what each printed. */
export async function recordExample(
  example: LoadedExample,
  options: Omit<RunExampleOptions, "capture">,
  repoRoot: string,
): Promise<RecordedRun> {
  const capture = new StepCapture();
  const report = await runExample(example, { ...options, capture });
  if (!report.ok) return { report, notRecorded: "a step failed, so the old recording stays" };
  const recording = buildRecording(example, capture.steps, {
    engine: (await options.engine.version()).version,
    images: (await usesStandIns(example, options.engine, repoRoot)) ? "stand-ins" : "upstream",
    sessionId: options.engine.session.id,
    repoRoot,
  });
  return { report, file: writeRecording(example, recording) };
}

async function usesStandIns(example: LoadedExample, engine: Engine, repoRoot: string): Promise<boolean> {
  const prefix = `examples/${example.name}/`;
  for (const image of await courseImages(repoRoot)) {
    if (!image.usedBy.some((file) => file.startsWith(prefix))) continue;
    const details = await engine.images.inspect(image.ref);
    if (details?.labels["bct.standin"] === "true") return true;
  }
  return false;
}
