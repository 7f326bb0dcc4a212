import { effectiveTag, parseImageReference } from "@bct/dockerfile";
import { formatBytes, imageSizeShellExpression, KitError, shellQuote } from "@bct/engine";
import { z } from "zod";
import { imageRef, sizeText, stepBase } from "../fields.ts";
import { parseSize } from "../sizes.ts";
import { argv } from "./script-lines.ts";
import { defineStepKind, type StepContext, type StepResult } from "./step-kind.ts";

const schema = z
  .object({
    kind: z.literal("inspect-image").describe("Step kind"),
    ...stepBase,
    image: imageRef,
    expect: z
      .object({
        minSize: sizeText.optional(),
        maxSize: sizeText.optional(),
        platform: z.string().optional().describe("os/arch[/variant], e.g. linux/arm64"),
        user: z.string().optional().describe("Config.User, e.g. 1000 or app"),
        relativeTo: z
          .object({
            image: imageRef.describe("The image to compare with"),
            maxRatio: z.number().positive().optional().describe("size <= maxRatio × its size"),
            minRatio: z.number().positive().optional().describe("size >= minRatio × its size"),
          })
          .strict()
          .optional()
          .describe("Size relative to another image (robust against stand-ins)"),
      })
      .strict()
      .describe("What the image must be like"),
  })
  .strict()
  .describe("docker image inspect; absolute size bounds are skipped on stand-in images");
type InspectImageStep = z.output<typeof schema>;

/**
 * What the size bounds and ratios measure, named where they are stated: the sum of the layers that
 * `docker image history` lists (the same on every image store; see image-size.ts in the engine).
 */
const LAYERS = "the layers' total (docker image history)";

const imagesOf = (step: InspectImageStep) => [
  step.image,
  ...(step.expect.relativeTo ? [step.expect.relativeTo.image] : []),
];
const showsFormat = (step: InspectImageStep) => Boolean(step.expect.platform || step.expect.user);

export const inspectImage = defineStepKind({
  schema,
  command: (step, values) =>
    showsFormat(step)
      ? argv(
          values,
          "docker",
          "image",
          "inspect",
          "--format",
          "{{.Os}}/{{.Architecture}} {{.Size}} user={{.Config.User}}",
          ...imagesOf(step),
        )
      : argv(
          values,
          "docker",
          "image",
          "ls",
          ...imagesOf(step).flatMap((image) => ["--filter", `reference=${image}`]),
        ),
  execute,
  script: (step, command) => [command, ...scriptChecks(step)],
  // The command's own output: the platform and user it prints, or a row per image in docker image ls.
  checkRecorded(step, recorded) {
    const failures: string[] = [];
    // One line per image named, the step's image first.
    const [platform, , user] = (recorded.stdout.trim().split("\n")[0] ?? "").split(" ");
    if (step.expect.platform && platform !== step.expect.platform)
      failures.push(`platform should be ${step.expect.platform}, was ${platform}`);
    if (step.expect.user && user !== `user=${step.expect.user}`)
      failures.push(`user should be ${step.expect.user}, was ${user}`);
    if (!showsFormat(step) && !/^(IMAGE|REPOSITORY) /.test(recorded.stdout))
      failures.push("the recorded output is not a docker image ls table");
    return failures;
  },
  outputMatchers(step) {
    if (showsFormat(step))
      return [
        {
          contains: [
            ...(step.expect.platform ? [`${step.expect.platform} `] : []),
            ...(step.expect.user !== undefined ? [`user=${step.expect.user}`] : []),
          ],
        },
      ];
    return imagesOf(step).map((image) => {
      const repo = parseImageReference(image).repository;
      const tag = effectiveTag(image) ?? "<none>";
      const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return { matches: `(^|\n)${escapeRegExp(repo)}(:| +)${escapeRegExp(tag)} ` };
    });
  },
});

async function execute(step: InspectImageStep, context: StepContext): Promise<StepResult> {
  const details = await context.engine.images.inspect(step.image);
  const size = await context.engine.images.size(step.image);
  if (!details || !size) throw new KitError("IMAGE_MISSING", `Image ${step.image} is not on this engine.`);
  const failures: string[] = [];
  const notes: string[] = [];
  const expect = step.expect;
  if (showsFormat(step)) {
    // What `docker image inspect --format '{{.Os}}/{{.Architecture}} {{.Size}} user={{.Config.User}}'` prints:
    // a line per image named.
    for (const reference of imagesOf(step)) {
      const image = reference === step.image ? details : await context.engine.images.inspect(reference);
      if (!image) throw new KitError("IMAGE_MISSING", `Image ${reference} is not on this engine.`);
      context.out.write(`${image.platform} ${image.size} user=${image.user}\n`);
    }
  } else {
    // The docker CLI's own table: its columns depend on the CLI's version.
    context.out.write(await context.engine.images.listTable(imagesOf(step)));
  }
  if (expect.minSize || expect.maxSize) {
    const skip = sizeBoundsSkipReason(step.image, details.labels);
    if (skip) notes.push(skip);
    else {
      if (expect.minSize && size.bytes < parseSize(expect.minSize))
        failures.push(`${LAYERS} should be at least ${expect.minSize}, is ${formatBytes(size.bytes)}`);
      if (expect.maxSize && size.bytes > parseSize(expect.maxSize))
        failures.push(`${LAYERS} should be at most ${expect.maxSize}, is ${formatBytes(size.bytes)}`);
    }
  }
  if (expect.platform && details.platform !== expect.platform)
    failures.push(`platform should be ${expect.platform}, is ${details.platform}`);
  if (expect.user !== undefined && details.user !== expect.user)
    failures.push(`user should be ${expect.user || "(root)"}, is ${details.user || "(root)"}`);
  if (expect.relativeTo) {
    const otherSize = await context.engine.images.size(expect.relativeTo.image);
    if (!otherSize)
      throw new KitError("IMAGE_MISSING", `Image ${expect.relativeTo.image} is not on this engine.`);
    const ratio = size.bytes / otherSize.bytes;
    notes.push(
      `${step.image}'s layers total ${ratio.toFixed(3)} × ${expect.relativeTo.image}'s (docker image history)`,
    );
    const { maxRatio, minRatio } = expect.relativeTo;
    if (maxRatio !== undefined && ratio > maxRatio)
      failures.push(
        `${LAYERS} should be at most ${maxRatio} × that of ${expect.relativeTo.image}, is ${ratio.toFixed(3)} ×`,
      );
    if (minRatio !== undefined && ratio < minRatio)
      failures.push(
        `${LAYERS} should be at least ${minRatio} × that of ${expect.relativeTo.image}, is ${ratio.toFixed(3)} ×`,
      );
  }
  return { failures, notes };
}

/**
 * Absolute size bounds mean something only on the upstream images, or on a stand-in whose fidelity
 * test holds it close to the upstream image's size (label bct.standin.size-like-upstream).
 */
function sizeBoundsSkipReason(image: string, labels: Record<string, string>): string | undefined {
  if (labels["bct.standin"] !== "true" || labels["bct.standin.size-like-upstream"] === "true")
    return undefined;
  return `absolute size bounds skipped: ${image} is built on a stand-in image whose size is not kept close to the upstream one`;
}

function scriptChecks(step: InspectImageStep): string[] {
  const image = shellQuote(step.image);
  const expect = step.expect;
  const lines: string[] = [];
  const field = (format: string, ref = image) => `"$(docker image inspect -f ${shellQuote(format)} ${ref})"`;
  if (expect.platform)
    lines.push(
      `check_value platform ${field("{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}")} ${shellQuote(expect.platform)}`,
    );
  if (expect.user !== undefined)
    lines.push(`check_value user ${field("{{.Config.User}}")} ${shellQuote(expect.user)}`);
  if (expect.minSize || expect.maxSize) {
    lines.push(`size=${imageSizeShellExpression(image)}`);
    lines.push(
      `if [[ ${field('{{index .Config.Labels "bct.standin"}}')} == true && ${field('{{index .Config.Labels "bct.standin.size-like-upstream"}}')} != true ]]; then echo 'absolute size bounds skipped: built on a stand-in image whose size is not kept close to the upstream one' >&2; else`,
    );
    if (expect.minSize)
      lines.push(
        `  ((size >= ${parseSize(expect.minSize)})) || problems+=("${LAYERS} should be at least ${expect.minSize}, is $size bytes")`,
      );
    if (expect.maxSize)
      lines.push(
        `  ((size <= ${parseSize(expect.maxSize)})) || problems+=("${LAYERS} should be at most ${expect.maxSize}, is $size bytes")`,
      );
    lines.push("fi");
  }
  if (expect.relativeTo) {
    const { image: other, maxRatio, minRatio } = expect.relativeTo;
    lines.push(
      `ratio="$(awk -v a=${imageSizeShellExpression(image)} -v b=${imageSizeShellExpression(shellQuote(other))} 'BEGIN { printf "%.3f", a / b }')"`,
    );
    lines.push(`echo "${step.image}'s layers total $ratio × ${other}'s (docker image history)" >&2`);
    if (maxRatio !== undefined)
      lines.push(
        `awk -v r="$ratio" 'BEGIN { exit !(r <= ${maxRatio}) }' || problems+=("${LAYERS} should be at most ${maxRatio} × that of ${other}, is $ratio ×")`,
      );
    if (minRatio !== undefined)
      lines.push(
        `awk -v r="$ratio" 'BEGIN { exit !(r >= ${minRatio}) }' || problems+=("${LAYERS} should be at least ${minRatio} × that of ${other}, is $ratio ×")`,
      );
  }
  if (lines.length > 0) lines.push("verify");
  return lines;
}
