import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { effectiveTag, parseImageReference } from "@bct/dockerfile";
import type Docker from "dockerode";
import { type BuildCheckReport, runBuildChecks } from "./build-checks.ts";
import type { BuildProgress } from "./build-progress.ts";
import { BuildxProcess, buildToolsError, buildxEnvironment, missingBuildTools } from "./buildx.ts";
import {
  BuildError,
  type BuildErrorDetails,
  engineMessage,
  engineStatusCode,
  type FailingInstruction,
  KitError,
} from "./errors.ts";
import { type ImageSize, sumOfLayers } from "./image-size.ts";
import { isManaged, labelsFor, type SessionIdentity } from "./labels.ts";
import type { EngineLog } from "./log.ts";
import { type Environment, runQuietly } from "./multiarch-support.ts";
import { type ProgressListener, type StreamEvent, streamError, toLayerProgress } from "./progress.ts";
import { SessionClient } from "./session-client.ts";
import { readTarEntries, type TarEntry } from "./tar-entries.ts";

/** Every path of an image's filesystem, and the first bytes of the files asked for. */
export interface ImageFiles {
  entries: TarEntry[];
  heads: Map<string, Buffer>;
}

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
  /** Stops the build (its buildx process) when aborted. */
  signal?: AbortSignal;
}

export interface BuildResult {
  imageId: string;
  tags: string[];
  /** What the build printed, as `docker build --progress=plain` prints it. */
  log: string;
  /** BuildKit's build checks that found something (`# check` directive). */
  warnings: string[];
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
  workdir: string;
  stopSignal: string | null;
  volumes: string[];
}

/** What `docker image ls` (CLI 29's collapsed view) shows of one image: summed over its platforms. */
export interface ImageUsage {
  id: string;
  references: string[];
  /** Blobs plus unpacked snapshots, over every platform present (the DISK USAGE column). */
  diskUsage: number;
  /** The blobs alone (the CONTENT SIZE column). */
  contentSize: number;
  /** A container uses it (the U in the EXTRA column). */
  inUse: boolean;
}

/** Images: pull with progress, build with `docker buildx build`, inspect, tag, push, remove. */
export class ImageClient extends SessionClient {
  private readonly builds = new Set<BuildxProcess>();
  /** The engine's address as the docker CLI takes it in DOCKER_HOST, for the buildx subprocess. */
  private readonly host: string;
  private readonly env: Environment;

  constructor(docker: Docker, session: SessionIdentity, log: EngineLog, host: string, env: Environment) {
    super(docker, session, log);
    this.host = host;
    this.env = env;
  }

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
        workdir: config.WorkingDir ?? "",
        stopSignal: (config as { StopSignal?: string }).StopSignal || null,
        volumes: Object.keys(config.Volumes ?? {}),
      };
    } catch (error) {
      if (engineStatusCode(error) === 404) return undefined;
      throw new KitError("ENGINE_ERROR", `Could not inspect image ${ref}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * `docker image ls --filter reference=…` for these images, as this machine's docker CLI prints it: its
   * table's columns differ between CLI versions (REPOSITORY … SIZE, or CLI 29's DISK USAGE and CONTENT SIZE).
   */
  async listTable(references: string[]): Promise<string> {
    const args = [
      "image",
      "ls",
      ...references.flatMap((reference) => ["--filter", `reference=${reference}`]),
    ];
    const outcome = await runQuietly("docker", args, buildxEnvironment(this.host, this.env));
    if (!outcome.ok)
      throw new KitError("COMMAND_FAILED", `docker ${args.join(" ")} failed: ${outcome.stderr.trim()}`, {
        hint: "The docker CLI must be installed (pnpm exec doctor checks it).",
      });
    return outcome.stdout;
  }

  /** The image's row of `docker image ls`, or undefined when no image has this reference. */
  async usage(ref: string): Promise<ImageUsage | undefined> {
    type Summary = Docker.ImageInfo & {
      Manifests?: Array<{ Available?: boolean; Size?: { Total?: number; Content?: number } }>;
    };
    const found = (await this.docker.listImages({
      filters: { reference: [ref] },
      manifests: true,
    } as Docker.ListImagesOptions)) as Summary[];
    const info = found[0];
    if (!info) return undefined;
    const present = (info.Manifests ?? []).filter((manifest) => manifest.Available);
    const sum = (pick: (size: { Total?: number; Content?: number }) => number | undefined) =>
      present.reduce((total, manifest) => total + (pick(manifest.Size ?? {}) ?? 0), 0);
    return {
      id: info.Id,
      references: info.RepoTags ?? [],
      diskUsage: present.length > 0 ? sum((size) => size.Total) : info.Size,
      contentSize: present.length > 0 ? sum((size) => size.Content) : info.Size,
      inUse: (info.Containers ?? 0) > 0,
    };
  }

  /** The platforms (os/arch[/variant]) whose image content this engine holds for the reference, as `docker image ls --tree` lists them. */
  async platforms(ref: string): Promise<string[]> {
    type Manifest = {
      Available?: boolean;
      Kind?: string;
      ImageData?: { Platform?: { os?: string; architecture?: string; variant?: string } };
    };
    const found = (await this.docker.listImages({
      filters: { reference: [ref] },
      manifests: true,
    } as Docker.ListImagesOptions)) as Array<Docker.ImageInfo & { Manifests?: Manifest[] }>;
    return (found[0]?.Manifests ?? [])
      .filter((manifest) => manifest.Available && manifest.Kind === "image")
      .map(({ ImageData }) =>
        [ImageData?.Platform?.os, ImageData?.Platform?.architecture, ImageData?.Platform?.variant]
          .filter(Boolean)
          .join("/"),
      );
  }

  async exists(ref: string): Promise<boolean> {
    return (await this.inspect(ref)) !== undefined;
  }

  /** The layers of an image, newest first, with the instruction that made each. */
  async history(ref: string): Promise<ImageLayer[]> {
    const entries = (await this.docker.getImage(ref).history()) as Array<{ CreatedBy: string; Size: number }>;
    return entries.map((entry) => ({ createdBy: entry.CreatedBy, size: entry.Size }));
  }

  /**
   * The final image's files, as `docker export` of a container that never starts lists them; the first bytes
   * of the files `wantHead` picks come along (to read an ELF header or a `#!` line).
   */
  async files(ref: string, wantHead: (path: string) => boolean = () => false): Promise<ImageFiles> {
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        Image: ref,
        // Never started: an entry point only so that an image without one can have a container.
        Entrypoint: ["/bct-never-started"],
        Cmd: [],
        Labels: { ...labelsFor(this.session), "bct.role": "file-list" },
      });
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not read the files of ${ref}: ${engineMessage(error)}`, {
        cause: error,
      });
    }
    try {
      const stream = (await container.export()) as unknown as AsyncIterable<Buffer>;
      return await readTarEntries(stream, wantHead);
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  /** The image's size as the sum of its uncompressed layers (see image-size.ts); undefined when it is not here. */
  async size(ref: string): Promise<ImageSize | undefined> {
    const details = await this.inspect(ref);
    if (!details) return undefined;
    const layers = await this.history(ref);
    return { bytes: sumOfLayers(layers), layers, reported: details.size };
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

  /**
   * Builds like the attendee's `docker build`: `docker buildx build` on this engine's own BuildKit, the
   * kit's labels added with --label. A failure names the failing step, its Dockerfile line, the last lines
   * of its own output and BuildKit's error.
   */
  async build(options: BuildOptions): Promise<BuildResult> {
    const dockerfile = options.dockerfile ?? "Dockerfile";
    const dockerfilePath = join(options.context, dockerfile);
    const image = options.tags[0] ?? "(untagged)";
    if (!existsSync(dockerfilePath)) {
      throw new KitError("BUILD_FAILED", `There is no ${dockerfile} in ${options.context}.`, {
        hint: `Create ${dockerfilePath}, or name another file with -f.`,
      });
    }
    if (options.signal?.aborted) throw interrupted(image);
    this.log(`Building ${image} from ${options.context}…`);
    const lines: string[] = [];
    const build = new BuildxProcess(
      {
        context: options.context,
        dockerfile,
        tags: options.tags,
        buildArgs: options.buildArgs ?? {},
        target: options.target,
        platform: options.platform,
        labels: { ...options.labels, ...labelsFor(this.session) },
      },
      buildxEnvironment(this.host, this.env),
      (line) => {
        lines.push(line);
        options.onLog?.(line);
      },
    );
    this.builds.add(build);
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          void build.stop();
        }, options.timeoutMs)
      : undefined;
    const onAbort = () => void build.stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let outcome: Awaited<ReturnType<BuildxProcess["result"]>>;
    try {
      outcome = await build.result();
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      this.builds.delete(build);
    }
    const log = lines.join("\n");
    if (timedOut) {
      throw new KitError(
        "TIMEOUT",
        `Building ${image} took longer than ${Math.round(options.timeoutMs! / 1000)} s and was stopped.`,
        { hint: "Look at the build log for a step that hangs (a RUN waiting for input or the network)." },
      );
    }
    if (build.stopped) throw interrupted(image);
    if (outcome.exitCode !== 0 || outcome.imageId === undefined) {
      throw new BuildError({ image, dockerfile, log, ...describeFailure(outcome.progress, dockerfilePath) });
    }
    this.log(`Built ${image} (${outcome.imageId.replace(/^sha256:/, "").slice(0, 12)})`);
    return { imageId: outcome.imageId, tags: options.tags, log, warnings: outcome.progress.warnings };
  }

  /**
   * BuildKit's build checks of a Dockerfile, the warnings `docker build --check` and every `docker build`
   * print; nothing is built. Undefined when buildx gave no report.
   */
  async check(options: { context: string; dockerfile?: string }): Promise<BuildCheckReport | undefined> {
    return runBuildChecks(
      options.context,
      options.dockerfile ?? "Dockerfile",
      buildxEnvironment(this.host, this.env),
    );
  }

  /** Throws a REQUIREMENT_MISSING error naming what builds lack (the docker CLI or its buildx plugin). */
  async ensureBuildTools(): Promise<void> {
    const missing = await missingBuildTools(buildxEnvironment(this.host, this.env));
    if (missing) throw buildToolsError(missing);
  }

  /** Stops every build in flight and waits until their buildx processes have exited (Ctrl-C). */
  async stopBuilds(): Promise<void> {
    await Promise.all([...this.builds].map((build) => build.stop()));
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
  /** Removes an image the kit made; returns what `docker rmi` prints for it ("Untagged: …", "Deleted: …"). */
  async remove(ref: string): Promise<string[]> {
    const details = await this.inspect(ref);
    if (!details) return [];
    if (!isManaged(details.labels)) {
      throw new KitError("NOT_MANAGED", `Image ${ref} was not created by this kit; it is left alone.`, {
        hint: `Remove it yourself if you no longer need it: docker rmi ${ref}`,
      });
    }
    this.log(`Removing image ${ref}`);
    try {
      const answer = (await this.docker.getImage(ref).remove({ noprune: false })) as unknown as
        | Array<{ Untagged?: string; Deleted?: string }>
        | undefined;
      return (answer ?? []).flatMap((entry) => [
        ...(entry.Untagged ? [`Untagged: ${entry.Untagged}`] : []),
        ...(entry.Deleted ? [`Deleted: ${entry.Deleted}`] : []),
      ]);
    } catch (error) {
      if (engineStatusCode(error) !== 404) {
        throw new KitError("ENGINE_ERROR", `Could not remove image ${ref}: ${engineMessage(error)}`, {
          cause: error,
        });
      }
      return [];
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

const FAILED_OUTPUT_LINES = 15;

/** The failing step, its Dockerfile line, the tail of its output and BuildKit's message, from the progress. */
export function describeFailure(
  progress: BuildProgress,
  dockerfilePath: string,
): Pick<BuildErrorDetails, "instruction" | "builderMessage" | "stepOutput"> {
  const step = progress.failedStep();
  const location = progress.failureLocation();
  const named = step ? /^\[([^\]]+)\]\s+(.*)$/.exec(step.name) : null;
  const isDockerfileStep = named !== null && named[1] !== "internal";
  let instruction: FailingInstruction | undefined;
  if (location) {
    instruction = {
      step: isDockerfileStep ? named[1] : undefined,
      text: isDockerfileStep ? named[2]! : (location.text ?? ""),
      line: location.line,
    };
  } else if (isDockerfileStep) {
    instruction = { step: named[1], text: named[2]!, line: findInstructionLine(named[2]!, dockerfilePath) };
  }
  const builderMessage =
    progress.builderError() ?? progress.trailer().at(-1) ?? "docker buildx build stopped without saying why";
  return {
    instruction,
    builderMessage,
    stepOutput: (step?.output ?? []).filter((line) => line.trim() !== "").slice(-FAILED_OUTPUT_LINES),
  };
}

/** The 1-based line where an instruction (as BuildKit names its step) starts, continuations joined. */
export function findInstructionLine(text: string, dockerfilePath: string): number | undefined {
  let source: string[];
  try {
    source = readFileSync(dockerfilePath, "utf8").split("\n");
  } catch {
    return undefined;
  }
  const wanted = collapse(text).toLowerCase();
  let logical = "";
  let start = 0;
  for (let index = 0; index < source.length; index++) {
    const line = source[index]!;
    if (logical === "") start = index;
    if (line.trimEnd().endsWith("\\")) {
      logical += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    logical += line;
    const candidate = collapse(logical).toLowerCase();
    logical = "";
    if (candidate !== "" && candidate === wanted) return start + 1;
  }
  return undefined;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function interrupted(image: string): KitError {
  return new KitError("INTERRUPTED", `Building ${image} was interrupted.`);
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
