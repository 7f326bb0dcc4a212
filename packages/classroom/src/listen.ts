import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { findListeningProcess, KitError } from "@bct/engine";

/**
 * Listens on `host` (all interfaces when undefined: the servers of the room exist to be reached from it).
 * A port in use is a clear error naming who holds it.
 */
export async function listenOn(server: Server, port: number, host: string | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        const holder = findListeningProcess(port);
        reject(
          new KitError(
            "PORT_IN_USE",
            `Port ${port} is in use${holder ? ` by process ${holder.pid} (${holder.command.slice(0, 80)})` : ""}.`,
            { hint: `Stop it, or take another port: --port ${port + 1}` },
          ),
        );
      } else if (error.code === "EADDRNOTAVAIL") {
        reject(
          new KitError("INVALID_INPUT", `There is no interface with the address ${host} on this machine.`, {
            hint: "Leave out --host to listen on every interface.",
          }),
        );
      } else reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
  return (server.address() as AddressInfo).port;
}

/** Interfaces of container engines and VMs on this machine: nobody in the room reaches them. */
const CONTAINER_INTERFACE =
  /^(docker\d*|br-[0-9a-f]+|veth|cni|flannel|cali|podman|virbr|lxcbr|lxdbr|vmnet|vboxnet)/;

/**
 * The http:// addresses a server bound to `host` can be reached at: each interface's, loopback last,
 * leaving out the bridges of container engines and VMs.
 */
export function reachableAddresses(
  host: string | undefined,
  port: number,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string[] {
  const format = (address: string) => `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  const all = host === undefined || host === "0.0.0.0" || host === "::";
  if (!all) return [format(host)];
  const external: string[] = [];
  const loopback: string[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (CONTAINER_INTERFACE.test(name)) continue;
    for (const info of addresses ?? []) {
      if (info.family === "IPv6" && (host === "0.0.0.0" || info.address.startsWith("fe80"))) continue;
      (info.internal ? loopback : external).push(info.address);
    }
  }
  const ordered = [
    ...external.filter((a) => !a.includes(":")),
    ...external.filter((a) => a.includes(":")),
    ...loopback.filter((a) => !a.includes(":")),
  ];
  return ordered.map(format);
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new KitError("INVALID_INPUT", `--port ${text}: a port is a number from 0 to 65535.`);
  return port;
}
