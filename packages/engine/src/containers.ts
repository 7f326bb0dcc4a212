import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { claimName } from "./claim.ts";
import type { ContainerSpec } from "./container-spec.ts";
import { engineMessage, engineStatusCode, KitError } from "./errors.ts";
import { findListeningProcess, isHostPortFree } from "./host-ports.ts";
import { isManaged, LABEL, labelsFor } from "./labels.ts";
import { SessionClient } from "./session-client.ts";

export interface ContainerHandle {
  id: string;
  name: string;
}

export interface RunResult {
  id: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface OutputListeners {
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  ports: string[];
  /** Every port as `docker ps` lists it, published or only exposed. */
  portBindings: Array<{
    ip: string | undefined;
    publicPort: number | undefined;
    privatePort: number;
    type: string;
  }>;
  /** The command line, as `docker ps` shows it before truncating. */
  command: string;
  /** Unix seconds. */
  created: number;
  managed: boolean;
  labels: Record<string, string>;
}

export interface ContainerState {
  id: string;
  name: string;
  status: string;
  running: boolean;
  exitCode: number;
  image: string;
  labels: Record<string, string>;
  mounts: Array<{ type: string; source: string; destination: string; readOnly: boolean }>;
  ports: Array<{ container: number; host: number | undefined; hostIp: string | undefined }>;
}

/** Who holds a host port: a container (named) or a host process. */
export interface PortHolder {
  port: number;
  description: string;
}

/** Containers: create, run, start, stop, kill, remove, logs, exec — always labelled, never someone else's. */
export class ContainerClient extends SessionClient {
  /** Creates a container; a leftover of this session with the same name is replaced, anyone else's is an error. */
  async create(spec: ContainerSpec): Promise<ContainerHandle> {
    if (spec.name) await this.claimName(spec.name);
    for (const port of spec.ports ?? []) {
      const holder = await this.findPortHolder(port.host);
      if (holder) {
        throw new KitError(
          "PORT_IN_USE",
          `Host port ${port.host} is already in use by ${holder.description}.`,
          {
            hint: `Stop what holds port ${port.host}, or choose another host port.`,
          },
        );
      }
    }
    const options = toCreateOptions(spec, labelsFor(this.session));
    this.log(`Creating container${spec.name ? ` ${spec.name}` : ""} from ${spec.image}…`);
    try {
      const container = await this.docker.createContainer(options);
      const name = spec.name ?? (await container.inspect()).Name.replace(/^\//, "");
      this.log(`Created container ${name} (${container.id.slice(0, 12)})`);
      return { id: container.id, name };
    } catch (error) {
      const status = engineStatusCode(error);
      // Another run created the same name between our check and this create.
      if (status === 409 && spec.name) await this.claimName(spec.name);
      if (status === 404) {
        throw new KitError("IMAGE_MISSING", `Image ${spec.image} is not on this engine.`, {
          hint: `Pull or build it first: docker pull ${spec.image}`,
          cause: error,
        });
      }
      throw new KitError(
        "ENGINE_ERROR",
        `Could not create a container from ${spec.image}: ${engineMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * `docker run` without -d: waits for the exit and returns what it printed. The container is removed after,
   * unless `keep` (a named `docker run` without --rm leaves an exited container for `docker ps -a`).
   */
  async run(
    spec: ContainerSpec,
    listeners: OutputListeners = {},
    timeoutMs?: number,
    options: { keep?: boolean } = {},
  ): Promise<RunResult> {
    const handle = await this.create(spec);
    const container = this.docker.getContainer(handle.id);
    try {
      const stdout: string[] = [];
      const stderr: string[] = [];
      // Attached before the start, as `docker run` does: logs: true would also replay the log file, and a short
      // container's output then sometimes arrives twice (the replay and the live stream overlap).
      const stream = await container.attach({ stream: true, stdout: true, stderr: true, logs: false });
      const ended = collectOutput(this.docker, stream, spec.tty ?? false, {
        onStdout: (text) => {
          stdout.push(text);
          listeners.onStdout?.(text);
        },
        onStderr: (text) => {
          stderr.push(text);
          listeners.onStderr?.(text);
        },
      });
      await this.startById(
        handle.id,
        spec.ports?.map((port) => port.host),
      );
      const exitCode = await this.waitForExit(handle, timeoutMs);
      await ended;
      return { id: handle.id, exitCode, stdout: stdout.join(""), stderr: stderr.join("") };
    } finally {
      if (!options.keep) await this.removeById(handle.id);
    }
  }

  /** `docker run -d`: creates and starts, returns at once. */
  async start(spec: ContainerSpec): Promise<ContainerHandle> {
    const handle = await this.create(spec);
    try {
      await this.startById(
        handle.id,
        spec.ports?.map((port) => port.host),
      );
    } catch (error) {
      await this.removeById(handle.id);
      throw error;
    }
    return handle;
  }

  /** `docker start` of an existing container of ours. */
  async restart(ref: string): Promise<void> {
    const state = await this.requireOwn(ref);
    await this.startById(state.id);
  }

  async stop(ref: string, timeoutSeconds = 10): Promise<void> {
    const state = await this.requireOwn(ref);
    this.log(`Stopping ${state.name}…`);
    try {
      await this.docker.getContainer(state.id).stop({ t: timeoutSeconds });
    } catch (error) {
      if (engineStatusCode(error) !== 304) throw wrap(`stop ${ref}`, error);
    }
    this.log(`Stopped ${state.name}`);
  }

  async kill(ref: string, signal = "SIGKILL"): Promise<void> {
    const state = await this.requireOwn(ref);
    this.log(`Killing ${state.name} with ${signal}`);
    try {
      await this.docker.getContainer(state.id).kill({ signal });
    } catch (error) {
      if (engineStatusCode(error) !== 409) throw wrap(`kill ${ref}`, error);
    }
  }

  async remove(ref: string, force = false): Promise<void> {
    const state = await this.requireOwn(ref);
    if (state.running && !force) {
      throw new KitError(
        "ENGINE_ERROR",
        `Container ${state.name} is still running; stop it before removing it.`,
        {
          hint: `docker stop ${state.name}`,
        },
      );
    }
    await this.removeById(state.id);
  }

  /** Waits for a container of ours to exit and returns its exit code. */
  async wait(ref: string, timeoutMs?: number): Promise<number> {
    const state = await this.requireOwn(ref);
    return this.waitForExit({ id: state.id, name: state.name }, timeoutMs);
  }

  async logs(ref: string): Promise<{ stdout: string; stderr: string }> {
    const state = await this.requireInspect(ref);
    const raw = (await this.docker.getContainer(state.id).logs({
      stdout: true,
      stderr: true,
      follow: false,
    })) as unknown as Buffer;
    return demuxBuffer(raw);
  }

  /** `docker exec`: runs a command in a running container and returns its output. */
  async exec(
    ref: string,
    command: string[],
    options: { user?: string; env?: Record<string, string>; workdir?: string } = {},
  ): Promise<Omit<RunResult, "id">> {
    const state = await this.requireOwn(ref);
    const exec = await this.docker.getContainer(state.id).exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
      User: options.user,
      WorkingDir: options.workdir,
      Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout: string[] = [];
    const stderr: string[] = [];
    await collectOutput(this.docker, stream, false, {
      onStdout: (text) => stdout.push(text),
      onStderr: (text) => stderr.push(text),
    });
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout: stdout.join(""), stderr: stderr.join("") };
  }

  async inspect(ref: string): Promise<ContainerState | undefined> {
    try {
      const info = await this.docker.getContainer(ref).inspect();
      const ports: ContainerState["ports"] = [];
      for (const [key, bindings] of Object.entries(info.NetworkSettings?.Ports ?? {})) {
        const container = Number.parseInt(key, 10);
        if (!bindings || bindings.length === 0) ports.push({ container, host: undefined, hostIp: undefined });
        for (const binding of bindings ?? []) {
          ports.push({ container, host: Number(binding.HostPort), hostIp: binding.HostIp });
        }
      }
      return {
        id: info.Id,
        name: info.Name.replace(/^\//, ""),
        status: info.State.Status,
        running: info.State.Running,
        exitCode: info.State.ExitCode,
        image: info.Config.Image,
        labels: info.Config.Labels ?? {},
        mounts: (info.Mounts ?? []).map((mount) => ({
          type: mount.Type,
          source: mount.Source,
          destination: mount.Destination,
          readOnly: !mount.RW,
        })),
        ports,
      };
    } catch (error) {
      if (engineStatusCode(error) === 404) return undefined;
      throw wrap(`inspect ${ref}`, error);
    }
  }

  /** Like `docker ps` (`all` like `docker ps -a`): every container, ours and others', marked. */
  async list(options: { all?: boolean; label?: string } = {}): Promise<ContainerSummary[]> {
    const found = await this.docker.listContainers({
      all: options.all ?? false,
      filters: options.label ? { label: [options.label] } : undefined,
    });
    return found.map((info) => ({
      id: info.Id,
      name: (info.Names[0] ?? "").replace(/^\//, ""),
      image: info.Image,
      state: info.State,
      status: info.Status,
      ports: info.Ports.filter((port) => port.PublicPort).map(
        (port) => `${port.IP ?? "0.0.0.0"}:${port.PublicPort}->${port.PrivatePort}/${port.Type}`,
      ),
      portBindings: info.Ports.map((port) => ({
        ip: port.IP || undefined,
        publicPort: port.PublicPort || undefined,
        privatePort: port.PrivatePort,
        type: port.Type,
      })),
      command: info.Command,
      created: info.Created,
      managed: isManaged(info.Labels),
      labels: info.Labels ?? {},
    }));
  }

  /** Names the container or host process that holds a TCP port, or undefined when it is free. */
  async findPortHolder(port: number): Promise<PortHolder | undefined> {
    const running = await this.docker.listContainers({ all: false });
    for (const info of running) {
      if (info.Ports.some((published) => published.PublicPort === port)) {
        const name = (info.Names[0] ?? info.Id).replace(/^\//, "");
        const whose = isManaged(info.Labels) ? "the kit's" : "your";
        return {
          port,
          description: `${whose} container '${name}' (${info.Id.slice(0, 12)}, image ${info.Image})`,
        };
      }
    }
    if (await isHostPortFree(port)) return undefined;
    const process = findListeningProcess(port);
    if (process) return { port, description: `process ${process.pid} (${process.command})` };
    return { port, description: `another process (find it with: ss -ltnp 'sport = :${port}')` };
  }

  private async claimName(name: string): Promise<void> {
    const existing = await this.inspect(name);
    const detail = existing && `${existing.id.slice(0, 12)}, image ${existing.image}, ${existing.status}`;
    if (
      claimName("container", name, existing && { labels: existing.labels, detail }, this.session) ===
      "replace"
    ) {
      this.log(`Replacing leftover container ${name} of this run`);
      await this.removeById(existing!.id);
    }
  }

  private async requireInspect(ref: string): Promise<ContainerState> {
    const state = await this.inspect(ref);
    if (!state) throw new KitError("ENGINE_ERROR", `No container named ${ref}.`);
    return state;
  }

  private async requireOwn(ref: string): Promise<ContainerState> {
    const state = await this.requireInspect(ref);
    if (!isManaged(state.labels)) {
      throw new KitError(
        "NOT_MANAGED",
        `Container ${state.name} was not created by this kit; it is left untouched.`,
      );
    }
    return state;
  }

  private async startById(id: string, hostPorts: number[] = []): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (error) {
      const message = engineMessage(error);
      if (/address already in use|port is already allocated/i.test(message)) {
        const holders = await Promise.all(hostPorts.map((port) => this.findPortHolder(port)));
        const holder = holders.find(Boolean);
        throw new KitError(
          "PORT_IN_USE",
          holder ? `Host port ${holder.port} is already in use by ${holder.description}.` : message,
          { hint: "Stop what holds the port, or choose another host port.", cause: error },
        );
      }
      throw wrap(`start ${id.slice(0, 12)}`, error);
    }
  }

  private async waitForExit(handle: ContainerHandle, timeoutMs?: number): Promise<number> {
    const container = this.docker.getContainer(handle.id);
    const waited = container.wait() as Promise<{ StatusCode: number }>;
    if (!timeoutMs) return (await waited).StatusCode;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KitError(
              "TIMEOUT",
              `Container ${handle.name} did not exit within ${Math.round(timeoutMs / 1000)} s.`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return (await Promise.race([waited, timeout])).StatusCode;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Removes by id with force; only ever called on containers this client created or verified as ours. */
  async removeById(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
      this.log(`Removed container ${id.slice(0, 12)}`);
    } catch (error) {
      const status = engineStatusCode(error);
      if (status !== 404 && !(status === 409 && /already in progress/.test(engineMessage(error)))) {
        throw wrap(`remove ${id.slice(0, 12)}`, error);
      }
    }
  }
}

function wrap(action: string, error: unknown): KitError {
  return new KitError("ENGINE_ERROR", `Could not ${action}: ${engineMessage(error)}`, { cause: error });
}

function toCreateOptions(
  spec: ContainerSpec,
  sessionLabels: Record<string, string>,
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostPort: string; HostIp?: string }>> = {};
  for (const port of spec.ports ?? []) {
    const key = `${port.container}/${port.protocol ?? "tcp"}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostPort: String(port.host), HostIp: port.hostIp ?? "" }];
  }
  const network = spec.network ?? "bridge";
  const hostConfig: Docker.HostConfig = {
    PortBindings: bindings,
    Mounts: (spec.mounts ?? []).map((mount) => ({
      Type: mount.type,
      Source: mount.type === "tmpfs" ? "" : mount.source,
      Target: mount.target,
      ReadOnly: mount.readOnly ?? false,
    })),
    NetworkMode: network,
    ReadonlyRootfs: spec.readOnlyRootfs ?? false,
    CapDrop: spec.capDrop,
    CapAdd: spec.capAdd,
    SecurityOpt: spec.noNewPrivileges ? ["no-new-privileges"] : undefined,
    Memory: spec.limits?.memoryBytes,
    MemorySwap: spec.limits?.memoryBytes,
    NanoCpus: spec.limits?.cpus ? Math.round(spec.limits.cpus * 1e9) : undefined,
    PidsLimit: spec.limits?.pids,
  };
  const options: Docker.ContainerCreateOptions & { platform?: string } = {
    Image: spec.image,
    name: spec.name,
    Cmd: spec.command,
    Entrypoint: spec.entrypoint,
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: exposed,
    User: spec.user,
    WorkingDir: spec.workdir,
    Tty: spec.tty ?? false,
    AttachStdout: true,
    AttachStderr: true,
    Labels: { ...spec.labels, ...sessionLabels },
    HostConfig: hostConfig,
  };
  if (spec.networkAliases?.length && !["bridge", "host", "none"].includes(network)) {
    options.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: spec.networkAliases } } };
  }
  if (spec.platform) options.platform = spec.platform;
  return options;
}

function collectOutput(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  tty: boolean,
  listeners: Required<OutputListeners>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (tty) {
      stream.on("data", (chunk: Buffer) => listeners.onStdout(chunk.toString()));
    } else {
      const out = new PassThrough();
      const err = new PassThrough();
      out.on("data", (chunk: Buffer) => listeners.onStdout(chunk.toString()));
      err.on("data", (chunk: Buffer) => listeners.onStderr(chunk.toString()));
      docker.modem.demuxStream(stream, out, err);
    }
    stream.on("end", () => resolve());
    stream.on("close", () => resolve());
    stream.on("error", reject);
  });
}

/** Splits a multiplexed log buffer (8-byte frame headers) into stdout and stderr. */
export function demuxBuffer(buffer: Buffer): { stdout: string; stderr: string } {
  if (!looksMultiplexed(buffer)) return { stdout: buffer.toString(), stderr: "" };
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + size);
    if (kind === 2) stderr.push(payload);
    else stdout.push(payload);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

/** A TTY container's log has no frame headers: a header starts with 0, 1 or 2 and three zero bytes. */
function looksMultiplexed(buffer: Buffer): boolean {
  if (buffer.length < 8) return false;
  return buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
}

export { LABEL };
