import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";

/** True when nothing on this host listens on the TCP port (checked by binding it briefly). */
export function isHostPortFree(port: number, host = "0.0.0.0"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export interface HostProcess {
  pid: number;
  command: string;
}

/** The process listening on a TCP port, read from /proc (Linux only; undefined when it can't be seen). */
export function findListeningProcess(port: number, procRoot = "/proc"): HostProcess | undefined {
  const inodes = new Set<string>();
  for (const table of ["net/tcp", "net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const row of text.split("\n").slice(1)) {
      const columns = row.trim().split(/\s+/);
      const local = columns[1];
      const state = columns[3];
      const inode = columns[9];
      if (!local || state !== "0A" || !inode) continue;
      const localPort = Number.parseInt(local.split(":")[1] ?? "", 16);
      if (localPort === port) inodes.add(inode);
    }
  }
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(match[1]!)) {
        let command = "";
        try {
          command = readFileSync(`${procRoot}/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
        } catch {
          command = "";
        }
        return { pid: Number(pid), command: command || "(unknown command)" };
      }
    }
  }
  return undefined;
}
