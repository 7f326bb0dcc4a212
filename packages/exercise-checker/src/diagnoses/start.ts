import { posix } from "node:path";
import type { Engine, TarEntry } from "@bct/engine";
import { readExecutable } from "./executable.ts";

/** The path the runtime could not execute, from runc's reason or from the container's own log. */
const EXEC_FAILURES: RegExp[] = [
  /exec: "([^"]+)": stat [^:]+: no such file or directory/,
  /exec: "([^"]+)": executable file not found in \$PATH/,
  /exec (\S+): no such file or directory/,
  /exec (\S+): exec format error/,
  /exec: "([^"]+)": .*exec format error/,
];

/** The reason runc gave, without the engine's "failed to create task … unable to start container process:" chain. */
export function runtimeReason(message: string): string {
  const reason = /unable to start container process: (.*)$/s.exec(message)?.[1] ?? message;
  return reason.replace(/: unknown$/, "").trim();
}

export function failedExecutable(text: string): string | undefined {
  for (const pattern of EXEC_FAILURES) {
    const match = pattern.exec(text);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Why the program could not be started, read from the final image itself: a path that is not there (and
 * where a program of that name is), a shell form without a shell, a loader or interpreter the image lacks,
 * a binary for another architecture. Undefined when the image shows nothing wrong with the program.
 */
export async function diagnoseStart(
  engine: Engine,
  image: string,
  reason: string,
): Promise<string | undefined> {
  const failed = failedExecutable(reason);
  if (!failed) return undefined;
  const config = await engine.images.inspect(image);
  if (!config) return undefined;
  const argv = [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
  const name = posix.basename(failed);
  const { entries, heads } = await engine.images.files(image, (path) => posix.basename(path) === name);
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const target = resolve(byPath, failed.startsWith("/") ? failed : `/${failed}`);
  const instruction = config.entrypoint ? "ENTRYPOINT" : "CMD";

  if (!target) {
    if (argv[0] === "/bin/sh" && argv[1] === "-c" && failed === "/bin/sh") {
      const program = (argv[2] ?? "").trim().split(/\s+/);
      return `Your ${instruction} is in shell form, so Docker runs it as /bin/sh -c "${argv[2] ?? ""}", and this image has no /bin/sh (scratch has nothing but the files you copied). Write it in exec form, a JSON array, which needs no shell: ${instruction} ${execForm(program)}.`;
    }
    const sameName = entries.filter(
      (entry) => posix.basename(entry.path) === name && entry.type !== "directory" && entry.path !== failed,
    );
    if (sameName.length > 0) {
      const found = sameName[0]!.path;
      const fixed = [found, ...argv.slice(1)];
      return `${instruction} starts ${failed}, which is not in the image. A program of that name is at ${sameName.map((entry) => entry.path).join(", ")} (where your COPY put it). Start that path, ${instruction} ${execForm(fixed)}, or COPY it to ${failed}.`;
    }
    const programs = entries
      .filter((entry) => entry.type === "file" && (entry.mode & 0o111) !== 0)
      .map((entry) => entry.path)
      .slice(0, 5);
    return `${instruction} starts ${failed}, and the image has no file named ${name} anywhere.${programs.length ? ` The programs it has: ${programs.join(", ")}.` : " It has no program at all."} COPY the binary into the final stage (COPY --from=<build stage> <path> ${failed}).`;
  }

  const head = heads.get(target.path);
  const kind = head ? readExecutable(head) : { kind: "unknown" as const };
  if (kind.kind === "elf") {
    const platformArchitecture = config.platform.split("/")[1];
    if (
      /exec format error/.test(reason) ||
      (platformArchitecture && kind.architecture !== platformArchitecture)
    ) {
      return `${failed} is a program for ${kind.architecture}, but the image is ${config.platform}, and this machine cannot run ${kind.architecture} code. Build it for the image's architecture: leave GOARCH unset in the Dockerfile (docker buildx --platform sets it for a multi-arch build).`;
    }
    if (kind.interpreter && !resolve(byPath, kind.interpreter)) {
      return `${failed} is in the image, but it is linked dynamically: the kernel needs its loader ${kind.interpreter} (and the C library) to start it, and this image has neither. It was built with cgo on; build it static with CGO_ENABLED=0, as the Makefile does (make).`;
    }
  }
  if (kind.kind === "script" && !resolve(byPath, kind.interpreter)) {
    return `${failed} is a script for ${kind.interpreter} (its #! line), which this image does not have.`;
  }
  return undefined;
}

/** Follows symlinks inside the image, as the kernel would, to the entry that is really there. */
function resolve(byPath: Map<string, TarEntry>, path: string, depth = 0): TarEntry | undefined {
  const entry = byPath.get(posix.normalize(path));
  if (entry?.type !== "symlink" || depth > 10) return entry;
  const link = entry.linkTarget ?? "";
  return resolve(
    byPath,
    link.startsWith("/") ? link : posix.join(posix.dirname(entry.path), link),
    depth + 1,
  );
}

/** An argv as the exec form of ENTRYPOINT or CMD is written. */
export function execForm(argv: string[]): string {
  return `[${argv.map((arg) => JSON.stringify(arg)).join(", ")}]`;
}
