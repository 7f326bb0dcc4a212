import { PullProgressTracker } from "@bct/engine";
import type { StepContext } from "./step-kind.ts";

/** Pulls by the run's policy; a pull step reports the image as present when it already was. */
export async function pullImage(
  image: string,
  context: StepContext,
  platform?: string,
  report: "always-report" | "quiet" = "quiet",
): Promise<void> {
  const tracker = new PullProgressTracker();
  const result = await context.engine.images.pull(image, {
    policy: context.pullPolicy,
    platform,
    onProgress: (event) => {
      tracker.update(event);
      context.console.progress(`Pulling ${image}: ${tracker.summary()}`);
    },
  });
  context.console.endProgress();
  if (result === "pulled") context.out.write(`Pulled ${image}\n`);
  else if (report === "always-report")
    context.out.write(`${image} is already here (pull policy ${context.pullPolicy})\n`);
}
