import { canonicalReference } from "@bct/dockerfile";
import { cliProgressLine } from "@bct/engine";
import type { StepContext } from "./step-kind.ts";

/**
 * Pulls by the run's policy. A pull prints what `docker pull` prints (its events, then the image's full
 * name); a pull step whose image is already here says so in the kit's words, as no pull ran.
 */
export async function pullImage(
  image: string,
  context: StepContext,
  platform?: string,
  report: "always-report" | "quiet" = "quiet",
): Promise<void> {
  const result = await context.engine.images.pull(image, {
    policy: context.pullPolicy,
    platform,
    onProgress: (event) => {
      const line = cliProgressLine(event);
      if (line === undefined) return;
      // A pull that docker run does on its own shows its progress on stderr, as docker run does.
      if (report === "always-report") context.out.write(`${line}\n`);
      else context.console.progress(`${image}: ${line}`);
    },
  });
  context.console.endProgress();
  if (result === "pulled" && report === "always-report") context.out.write(`${canonicalReference(image)}\n`);
  else if (result === "present" && report === "always-report")
    context.console.info(
      `${image} is already on this machine, so it was not pulled again (--pull always pulls it).`,
    );
}
