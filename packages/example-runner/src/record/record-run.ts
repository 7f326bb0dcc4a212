import type { Engine } from "@bct/engine";
import { courseImages } from "../course-images.ts";
import type { LoadedExample } from "../loader.ts";
import type { ExampleReport } from "../report.ts";
import { type RunExampleOptions, runExample } from "../run-example.ts";
import { StepCapture } from "./capture.ts";
import { buildRecording, type ImageProvenance, writeRecording } from "./recording.ts";

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
    images: await imageProvenance(example, options.engine, repoRoot),
    sessionId: options.engine.session.id,
    repoRoot,
  });
  return { report, file: writeRecording(example, recording) };
}

/** What each course image of the example is on this engine: the real one, or a stand-in made of upstream files or a model. */
async function imageProvenance(
  example: LoadedExample,
  engine: Engine,
  repoRoot: string,
): Promise<Record<string, ImageProvenance>> {
  const prefix = `examples/${example.name}/`;
  const images: Record<string, ImageProvenance> = {};
  for (const image of await courseImages(repoRoot)) {
    if (!image.usedBy.some((file) => file.startsWith(prefix))) continue;
    const labels = (await engine.images.inspect(image.ref))?.labels ?? {};
    if (labels["bct.standin"] !== "true") images[image.ref] = { content: "upstream" };
    else if (labels["bct.standin.content"] === "upstream-files")
      images[image.ref] = { content: "upstream-files", files: labels["bct.standin.files"] };
    else images[image.ref] = { content: "model" };
  }
  return images;
}
