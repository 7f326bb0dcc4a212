import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { effectiveTag, parseImageReference } from "@bct/dockerfile";
import type Docker from "dockerode";
import { packBuildContext } from "./build-context.ts";
import { BuildError, engineMessage, engineStatusCode, type FailingInstruction, KitError } from "./errors.ts";
import { isManaged, labelsFor } from "./labels.ts";
import { type ProgressListener, type StreamEvent, streamError, toLayerProgress } from "./progress.ts";
import { SessionClient } from "./session-client.ts";

export type PullPolicy = "missing" | "always" | "never";

export interface PullOptions {
  policy?: PullPolicy;
  platform?: string;
  onProgress?: ProgressListener;
}

export interface BuildOptions {
  /** Folder sent as the build context. */
  context: string;
  /** Path of the Dockerfile relative to the context; default "Dockerfile". */
  dockerfile?: string;
  tags: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  platform?: string;
  /** Extra labels; the session's labels are always added. */
  labels?: Record<string, string>;
  /** Each line the builder prints, as it arrives. */
  onLog?: (line: string) => void;
  /** Stops the build after this long. */
  timeoutMs?: number;
}

export interface BuildResult {
  imageId: string;
  tags: string[];
  log: string;
}

export interface ImageLayer {
  createdBy: string;
  size: number;
}

export interface ImageDetails {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  platform: string;
  layerCount: number;
  labels: Record<string, string>;
  user: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  exposedPorts: string[];
  env: string[];
}

/** Images: pull with progress, build with the classic builder, inspect, tag, push, remove. */
export class ImageClient extends SessionClient {
  async inspect(ref: string): Promise<ImageDetails | undefined> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      const config = info.Config ?? ({} as Docker.ImageInspectInfo["Config"]);
      return {
        id: info.Id,
        repoTags: info.RepoTags ?? [],
        repoDigests: info.RepoDigests ?? [],
        size: info.Size,
        platform: [info.Os, info.Architecture, (info as { Variant?: string }).Variant]
          .filter(Boolean)
          .join("/"),
        layerCount: info.RootFS?.Layers?.length ?? 0,
        labels: config.Labels ?? {},
        user: config.User ?? "",
        entrypoint: normaliseCommand(config.Entrypoint),
        cmd: normaliseCommand(config.Cmd),
        exposedPorts: Object.keys(config.ExposedPorts ?? {}),
        env: config.Env ?? [],
      };
    } catch (error) {
      if (engineStatusCode(error) === 404) return undefined;
      throw new KitError("ENGINE_ERROR", `Could not inspect image ${ref}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  async exists(ref: string): Promise<boolean> {
    return (await this.inspect(ref)) !== undefined;
  }

  /** The layers of an image, newest first, with the instruction that made each. */
  async history(ref: string): Promise<ImageLayer[]> {
    const entries = (await this.docker.getImage(ref).history()) as Array<{ CreatedBy: string; Size: number }>;
    return entries.map((entry) => ({ createdBy: entry.CreatedBy, size: entry.Size }));
  }

  /** Pulls like `docker run` does by default: only when the image is not already there. */
  async pull(ref: string, options: PullOptions = {}): Promise<"present" | "pulled"> {
    const policy = options.policy ?? "missing";
    if (policy !== "always" && (await this.exists(ref))) return "present";
    if (policy === "never") {
      throw new KitError(
        "IMAGE_MISSING",
        `Image ${ref} is not on this engine and the pull policy is "never".`,
        {
          hint: `Pull it first: docker pull ${ref}`,
        },
      );
    }
    this.log(`Pulling ${ref}…`);
    const failure = (message: string, cause?: unknown) =>
      new KitError("PULL_FAILED", `Could not pull ${ref}: ${message}`, {
        hint: "Check the image name and tag, and that this machine can reach the registry. Offline? Load the course images from a tarball: pnpm images load <file>.",
        cause,
      });
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(ref, options.platform ? { platform: options.platform } : {});
    } catch (error) {
      throw failure(engineMessage(error), error);
    }
    await followStream(stream, (event) => {
      const error = streamError(event);
      if (error) throw failure(error);
      const progress = toLayerProgress(event);
      if (progress) options.onProgress?.(progress);
    });
    this.log(`Pulled ${ref}`);
    return "pulled";
  }

  /** Builds with the engine's classic builder; a failure names the failing instruction. */
  async build(options: BuildOptions): Promise<BuildResult> {
    const dockerfile = options.dockerfile ?? "Dockerfile";
    const dockerfilePath = join(options.context, dockerfile);
    const image = options.tags[0] ?? "(untagged)";
    if (!existsSync(dockerfilePath)) {
      throw new KitError("BUILD_FAILED", `There is no ${dockerfile} in ${options.context}.`, {
        hint: `Create ${dockerfilePath}, or name another file with -f.`,
      });
    }
    this.log(`Building ${image} from ${options.context}…`);
    const lines: string[] = [];
    let currentStep: { step: string; text: string } | undefined;
    let builderError: string | undefined;
    let imageId: string | undefined;
    const abort = new AbortController();
    const timer = options.timeoutMs ? setTimeout(() => abort.abort(), options.timeoutMs) : undefined;
    try {
      const stream = await this.docker.buildImage(packBuildContext(options.context, dockerfile), {
        t: options.tags,
        dockerfile,
        buildargs: options.buildArgs,
        target: options.target,
        platform: options.platform,
        labels: { ...options.labels, ...labelsFor(this.session) },
        rm: true,
        forcerm: true,
        abortSignal: abort.signal,
      } as unknown as Docker.ImageBuildOptions);
      await followStream(stream, (event: StreamEvent) => {
        if (event.aux?.ID) imageId = event.aux.ID;
        if (event.stream) {
          for (const line of event.stream.split("\n")) {
            if (line === "") continue;
            lines.push(line);
            options.onLog?.(line);
            const step = /^(Step \d+\/\d+) : (.*)$/.exec(line);
            if (step) currentStep = { step: step[1]!, text: step[2]! };
            const built = /^Successfully built ([0-9a-f]+)/.exec(line);
            if (built && !imageId) imageId = built[1];
          }
        }
        const error = streamError(event);
        if (error) builderError = error.trim();
      });
    } catch (error) {
      if (abort.signal.aborted) {
        throw new KitError(
          "TIMEOUT",
          `Building ${image} took longer than ${Math.round(options.timeoutMs! / 1000)} s and was stopped.`,
          {
            hint: "Look at the build log for a step that hangs (a RUN waiting for input or the network).",
          },
        );
      }
      builderError = engineMessage(error);
    } finally {
      if (timer) clearTimeout(timer);
    }
    const log = lines.join("\n");
    if (builderError !== undefined || imageId === undefined) {
      throw new BuildError({
        image,
        instruction: currentStep ? locateInstruction(currentStep, dockerfilePath) : undefined,
        builderMessage: builderError ?? "the builder reported no image",
        log,
        dockerfile,
      });
    }
    this.log(`Built ${image} (${imageId.replace(/^sha256:/, "").slice(0, 12)})`);
    return { imageId, tags: options.tags, log };
  }

  async tag(source: string, target: string): Promise<void> {
    const { repo, tag } = splitReference(target);
    this.log(`Tagging ${source} as ${target}`);
    try {
      await this.docker.getImage(source).tag({ repo, tag });
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not tag ${source} as ${target}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  async push(ref: string, onProgress?: ProgressListener): Promise<{ digest: string | undefined }> {
    const { tag } = splitReference(ref);
    this.log(`Pushing ${ref}…`);
    let digest: string | undefined;
    const failure = (message: string, cause?: unknown) =>
      new KitError("PUSH_FAILED", `Could not push ${ref}: ${message}`, {
        hint: "Is the registry running? For the course registry: docker run -d -p 5000:5000 --name registry registry:3",
        cause,
      });
    try {
      const stream = (await this.docker
        .getImage(ref)
        .push({ tag, authconfig: {} } as never)) as unknown as NodeJS.ReadableStream;
      await followStream(stream, (event) => {
        const error = streamError(event);
        if (error) throw failure(error);
        const match = event.status ? /digest: (sha256:[0-9a-f]{64})/.exec(event.status) : null;
        if (match) digest = match[1];
        const progress = toLayerProgress(event);
        if (progress) onProgress?.(progress);
      });
    } catch (error) {
      if (error instanceof KitError) throw error;
      throw failure(engineMessage(error), error);
    }
    this.log(`Pushed ${ref}${digest ? ` (${digest.slice(0, 19)})` : ""}`);
    return { digest };
  }

  /**
   * Removes a tag the caller itself added with `tag` on an image the kit did not build (e.g. an upstream
   * image re-tagged for a local registry). The image stays while another tag names it.
   */
  async untag(ref: string): Promise<void> {
    this.log(`Untagging ${ref}`);
    try {
      await this.docker.getImage(ref).remove({ noprune: true });
    } catch (error) {
      if (engineStatusCode(error) !== 404) {
        throw new KitError("ENGINE_ERROR", `Could not untag ${ref}: ${engineMessage(error)}`, {
          cause: error,
        });
      }
    }
  }

  /** Removes an image tag, but only one the kit built (it carries our label). */
  async remove(ref: string): Promise<void> {
    const details = await this.inspect(ref);
    if (!details) return;
    if (!isManaged(details.labels)) {
      throw new KitError("NOT_MANAGED", `Image ${ref} was not created by this kit; it is left alone.`, {
        hint: `Remove it yourself if you no longer need it: docker rmi ${ref}`,
      });
    }
    this.log(`Removing image ${ref}`);
    try {
      await this.docker.getImage(ref).remove({ noprune: false });
    } catch (error) {
      if (engineStatusCode(error) !== 404) {
        throw new KitError("ENGINE_ERROR", `Could not remove image ${ref}: ${engineMessage(error)}`, {
          cause: error,
        });
      }
    }
  }
}

function normaliseCommand(value: string | string[] | undefined | null): string[] | null {
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value : [value];
}

/** "localhost:5000/x:1.0" → { repo: "localhost:5000/x", tag: "1.0" }; a digest or no tag → "latest". */
/** Repository and the tag docker would use ("latest" for a bare name; none for a digest-only reference). */
export function splitReference(ref: string): { repo: string; tag: string | undefined } {
  return { repo: parseImageReference(ref).repository, tag: effectiveTag(ref) };
}

/** Finds the line of the Dockerfile an instruction came from, so the error can point at it. */
export function locateInstruction(
  current: { step: string; text: string },
  dockerfilePath: string,
): FailingInstruction {
  let line: number | undefined;
  try {
    const wanted = collapse(current.text);
    const source = readFileSync(dockerfilePath, "utf8").split("\n");
    let logical = "";
    let start = 0;
    for (let index = 0; index < source.length; index++) {
      const text = source[index]!;
      if (logical === "") start = index;
      if (text.trimEnd().endsWith("\\")) {
        logical += `${text.trimEnd().slice(0, -1)} `;
        continue;
      }
      logical += text;
      const candidate = collapse(logical);
      logical = "";
      if (candidate && (candidate === wanted || candidate.toLowerCase() === wanted.toLowerCase())) {
        line = start + 1;
        break;
      }
    }
  } catch {
    line = undefined;
  }
  return { step: current.step, text: current.text, line };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Reads a JSON-lines stream from the engine, calling `onEvent` for each object; rejects on what it throws. */
export function followStream(
  stream: NodeJS.ReadableStream,
  onEvent: (event: StreamEvent) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      (stream as { destroy?: () => void }).destroy?.();
      reject(error);
    };
    const handle = (text: string) => {
      if (text.trim() === "") return;
      let event: StreamEvent;
      try {
        event = JSON.parse(text) as StreamEvent;
      } catch {
        event = { stream: `${text}\n` };
      }
      try {
        onEvent(event);
      } catch (error) {
        fail(error);
      }
    };
    stream.on("data", (chunk: Buffer | string) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf("\n");
      while (newline >= 0 && !failed) {
        handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    });
    stream.on("end", () => {
      if (failed) return;
      handle(buffer);
      if (!failed) resolve();
    });
    stream.on("error", fail);
  });
}
