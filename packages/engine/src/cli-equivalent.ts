import { type ContainerSpec, formatMemory } from "./container-spec.ts";

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for bash, only when it needs it. */
export function shellQuote(argument: string): string {
  if (argument !== "" && SAFE.test(argument)) return argument;
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

export function shellJoin(argv: string[]): string {
  return argv.map(shellQuote).join(" ");
}

export interface RunFlags {
  detach?: boolean;
  remove?: boolean;
  interactive?: boolean;
}

/** The `docker run` arguments an attendee would type for a spec (labels omitted: they are the kit's business). */
export function dockerRunArgv(spec: ContainerSpec, flags: RunFlags = {}): string[] {
  const argv = ["docker", "run"];
  if (flags.detach) argv.push("-d");
  if (flags.interactive) argv.push("-it");
  if (flags.remove) argv.push("--rm");
  if (spec.name) argv.push("--name", spec.name);
  if (spec.platform) argv.push("--platform", spec.platform);
  if (spec.network) argv.push("--network", spec.network);
  for (const alias of spec.networkAliases ?? []) argv.push("--network-alias", alias);
  for (const [key, value] of Object.entries(spec.env ?? {})) argv.push("--env", `${key}=${value}`);
  for (const port of spec.ports ?? []) {
    const host = port.hostIp ? `${port.hostIp}:${port.host}` : `${port.host}`;
    argv.push("-p", `${host}:${port.container}${port.protocol === "udp" ? "/udp" : ""}`);
  }
  for (const mount of spec.mounts ?? []) {
    if (mount.type === "tmpfs") argv.push("--tmpfs", mount.target);
    else argv.push("-v", `${mount.source}:${mount.target}${mount.readOnly ? ":ro" : ""}`);
  }
  if (spec.user) argv.push("--user", spec.user);
  if (spec.workdir) argv.push("--workdir", spec.workdir);
  if (spec.readOnlyRootfs) argv.push("--read-only");
  for (const cap of spec.capDrop ?? []) argv.push("--cap-drop", cap);
  for (const cap of spec.capAdd ?? []) argv.push("--cap-add", cap);
  if (spec.noNewPrivileges) argv.push("--security-opt", "no-new-privileges");
  if (spec.limits?.memoryBytes) argv.push("--memory", formatMemory(spec.limits.memoryBytes));
  if (spec.limits?.cpus) argv.push("--cpus", String(spec.limits.cpus));
  if (spec.limits?.pids) argv.push("--pids-limit", String(spec.limits.pids));
  if (spec.entrypoint) argv.push("--entrypoint", spec.entrypoint[0] ?? "");
  argv.push(spec.image);
  argv.push(...(spec.entrypoint?.slice(1) ?? []), ...(spec.command ?? []));
  return argv;
}

export function dockerRunCommand(spec: ContainerSpec, flags: RunFlags = {}): string {
  return shellJoin(dockerRunArgv(spec, flags));
}

export interface BuildCommandOptions {
  context: string;
  dockerfile?: string;
  tags: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  platform?: string;
}

export function dockerBuildCommand(options: BuildCommandOptions): string {
  const argv = ["docker", "build"];
  for (const tag of options.tags) argv.push("-t", tag);
  if (options.dockerfile && options.dockerfile !== "Dockerfile") argv.push("-f", options.dockerfile);
  for (const [key, value] of Object.entries(options.buildArgs ?? {}))
    argv.push("--build-arg", `${key}=${value}`);
  if (options.target) argv.push("--target", options.target);
  if (options.platform) argv.push("--platform", options.platform);
  argv.push(options.context);
  return shellJoin(argv);
}
