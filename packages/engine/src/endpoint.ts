import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { DockerOptions } from "dockerode";

/** Where the engine was looked for, and why there. */
export interface EngineEndpoint {
  /** The host as the Docker CLI writes it, e.g. "unix:///var/run/docker.sock". */
  host: string;
  /** Why this host was chosen: "DOCKER_HOST", "docker context 'colima'", "default socket", "rootless socket". */
  source: string;
  options: DockerOptions;
}

export interface EndpointEnvironment {
  env: Record<string, string | undefined>;
  homeDir?: string;
  uid?: number;
  exists?: (path: string) => boolean;
  readFile?: (path: string) => string;
}

/**
 * The hosts to try, in the order the Docker CLI would: DOCKER_HOST, the current context,
 * the default socket, then rootless and desktop sockets that exist.
 */
export function candidateEndpoints(input: EndpointEnvironment): EngineEndpoint[] {
  const env = input.env;
  const exists = input.exists ?? existsSync;
  const readFile = input.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const home = input.homeDir ?? homedir();
  const uid = input.uid ?? process.getuid?.() ?? 0;

  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) return [endpointFromHost(dockerHost, "DOCKER_HOST", env)];

  const fromContext = contextEndpoint(env, home, exists, readFile);
  if (fromContext) return [fromContext];

  const defaultSocket: EngineEndpoint = endpointFromHost(
    "unix:///var/run/docker.sock",
    "default socket",
    env,
  );
  const others = [
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, "docker.sock") : undefined,
    `/run/user/${uid}/docker.sock`,
    join(home, ".docker", "run", "docker.sock"),
    join(home, ".docker", "desktop", "docker.sock"),
    join(home, ".colima", "default", "docker.sock"),
  ]
    .filter((path): path is string => path !== undefined)
    .filter((path, index, all) => all.indexOf(path) === index && exists(path))
    .map((path) => endpointFromHost(`unix://${path}`, "rootless or desktop socket", env));

  if (!exists("/var/run/docker.sock") && others.length > 0) return others;
  return [defaultSocket, ...others];
}

function contextEndpoint(
  env: Record<string, string | undefined>,
  home: string,
  exists: (path: string) => boolean,
  readFile: (path: string) => string,
): EngineEndpoint | undefined {
  const configDir = env.DOCKER_CONFIG || join(home, ".docker");
  let name = env.DOCKER_CONTEXT?.trim();
  if (!name) {
    const configPath = join(configDir, "config.json");
    if (!exists(configPath)) return undefined;
    try {
      name = (JSON.parse(readFile(configPath)) as { currentContext?: string }).currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === "default") return undefined;
  const digest = createHash("sha256").update(name).digest("hex");
  const metaPath = join(configDir, "contexts", "meta", digest, "meta.json");
  if (!exists(metaPath)) return undefined;
  try {
    const meta = JSON.parse(readFile(metaPath)) as { Endpoints?: { docker?: { Host?: string } } };
    const host = meta.Endpoints?.docker?.Host;
    return host ? endpointFromHost(host, `docker context '${name}'`, env) : undefined;
  } catch {
    return undefined;
  }
}

export function endpointFromHost(
  host: string,
  source: string,
  env: Record<string, string | undefined> = {},
): EngineEndpoint {
  if (host.startsWith("unix://")) {
    return { host, source, options: { socketPath: host.slice("unix://".length) } };
  }
  if (host.startsWith("npipe://")) {
    return { host, source, options: { socketPath: host.slice("npipe://".length).replaceAll("/", "\\") } };
  }
  const url = new URL(host);
  if (url.protocol === "ssh:") {
    return {
      host,
      source,
      options: {
        protocol: "ssh",
        host: url.hostname,
        port: Number(url.port || 22),
        username: url.username || undefined,
      } as DockerOptions,
    };
  }
  const tls = env.DOCKER_TLS_VERIFY === "1" || url.protocol === "https:";
  const options: DockerOptions = {
    protocol: tls ? "https" : "http",
    host: url.hostname,
    port: Number(url.port || (tls ? 2376 : 2375)),
  };
  if (tls && env.DOCKER_CERT_PATH) {
    options.ca = readFileSync(join(env.DOCKER_CERT_PATH, "ca.pem"));
    options.cert = readFileSync(join(env.DOCKER_CERT_PATH, "cert.pem"));
    options.key = readFileSync(join(env.DOCKER_CERT_PATH, "key.pem"));
  }
  return { host, source, options };
}

export const START_DOCKER_HINT = [
  "Start Docker, then try again:",
  "  Linux:            sudo systemctl start docker   (or: sudo dockerd &)",
  "  macOS / Windows:  open Docker Desktop and wait until it says it is running",
  "  Codespaces / Ona: rebuild the dev container (it starts Docker-in-Docker)",
  "If the engine runs elsewhere, point DOCKER_HOST at it (e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock).",
].join("\n");
