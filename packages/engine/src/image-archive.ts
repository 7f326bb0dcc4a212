import type Docker from "dockerode";
import { engineMessage, KitError } from "./errors.ts";
import { followStream } from "./images.ts";
import type { EngineLog } from "./log.ts";
import { streamError } from "./progress.ts";

type DockerWithGetImages = Docker & {
  getImages(options: { names: string[] }): Promise<NodeJS.ReadableStream>;
};

/** `docker save` / `docker load` over the API: several images in one tarball, for an offline classroom. */
export class ImageArchiveClient {
  private readonly docker: Docker;
  private readonly log: EngineLog;

  constructor(docker: Docker, log: EngineLog) {
    this.docker = docker;
    this.log = log;
  }

  /** A tar stream holding every named image (all tags given), like `docker save a b c`. */
  async save(refs: string[]): Promise<NodeJS.ReadableStream> {
    if (refs.length === 0) {
      throw new KitError("INVALID_INPUT", "There is no image to save.", {
        hint: "Name at least one image.",
      });
    }
    this.log(`Saving ${refs.length} image(s): ${refs.join(", ")}`);
    try {
      return await (this.docker as DockerWithGetImages).getImages({ names: refs });
    } catch (error) {
      throw new KitError("ENGINE_ERROR", `Could not save ${refs.join(", ")}: ${engineMessage(error)}`, {
        hint: "Every image must be on this engine: pull the missing ones first (pnpm images pull).",
        cause: error,
      });
    }
  }

  /** Loads a tar stream made by `save` (or `docker save`); returns the references it loaded. */
  async load(tarball: NodeJS.ReadableStream): Promise<string[]> {
    const loaded: string[] = [];
    const failure = (message: string, cause?: unknown) =>
      new KitError("ENGINE_ERROR", `Could not load the image archive: ${message}`, {
        hint: "Is the file a tarball written by `pnpm images save` or `docker save`?",
        cause,
      });
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.loadImage(tarball, { quiet: true });
    } catch (error) {
      throw failure(engineMessage(error), error);
    }
    await followStream(stream, (event) => {
      const error = streamError(event);
      if (error) throw failure(error);
      const match = /Loaded image(?: ID)?: (\S+)/.exec(event.stream ?? "");
      if (match) loaded.push(match[1]!);
    });
    this.log(`Loaded ${loaded.length} image(s)`);
    return loaded;
  }
}
