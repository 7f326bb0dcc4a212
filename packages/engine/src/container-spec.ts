/** What to run: the options of `docker run` that the course uses, as data. */
export interface PortMapping {
  host: number;
  container: number;
  hostIp?: string;
  protocol?: "tcp" | "udp";
}

export interface MountSpec {
  type: "bind" | "volume" | "tmpfs";
  /** Host path (bind, absolute) or volume name; empty for tmpfs. */
  source: string;
  target: string;
  readOnly?: boolean;
}

export interface ResourceLimits {
  /** Bytes, e.g. 64 * 1024 * 1024. */
  memoryBytes?: number;
  /** Number of CPUs, e.g. 0.5. */
  cpus?: number;
  pids?: number;
}

export interface ContainerSpec {
  image: string;
  name?: string;
  /** Arguments after the image (replace CMD). */
  command?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  ports?: PortMapping[];
  mounts?: MountSpec[];
  /** "bridge" (default), "host", "none" or a user-defined network name. */
  network?: string;
  networkAliases?: string[];
  user?: string;
  workdir?: string;
  readOnlyRootfs?: boolean;
  capDrop?: string[];
  capAdd?: string[];
  noNewPrivileges?: boolean;
  limits?: ResourceLimits;
  platform?: string;
  tty?: boolean;
  /** Extra labels; the session's labels are always added. */
  labels?: Record<string, string>;
}

export function formatMemory(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (Number.isInteger(mib / 1024) && mib >= 1024) return `${mib / 1024}g`;
  if (Number.isInteger(mib)) return `${mib}m`;
  return `${bytes}`;
}
