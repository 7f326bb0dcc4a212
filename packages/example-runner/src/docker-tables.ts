import type { ContainerSummary, ImageUsage } from "@bct/engine";

/**
 * The tables the runner prints for `docker ps` and `docker image ls`, laid out as today's docker CLI does:
 * `docker ps` keeps its classic table; `docker image ls` is CLI 29's collapsed view (docker/cli#6566)
 * with IMAGE, ID, DISK USAGE, CONTENT SIZE and EXTRA. Older CLIs print REPOSITORY, TAG, IMAGE ID,
 * CREATED and SIZE instead.
 */

type Align = "left" | "right";

/**
 * Like Go's text/tabwriter as the docker CLI sets it up for `docker ps` (minwidth 10, padding 3):
 * a column is its widest cell plus three spaces, and at least ten wide.
 */
function layout(rows: string[][], options: { minWidth: number; align?: Align[] }): string {
  const align = options.align ?? [];
  const widths = rows[0]!.map((_, column) =>
    Math.max(options.minWidth, 3 + Math.max(...rows.map((row) => [...row[column]!].length))),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          const last = column === row.length - 1;
          const room = (last ? widths[column]! - 3 : widths[column]!) - [...cell].length;
          if (align[column] === "right")
            return `${" ".repeat(Math.max(0, room - (last ? 0 : 3)))}${cell}${last ? "" : "   "}`;
          return last ? cell : cell + " ".repeat(room);
        })
        .join("")
        .trimEnd(),
    )
    .join("\n");
}

export const PS_HEADER = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"];

/** `docker ps` (and `-a`): the containers given, newest first as the engine lists them. */
export function renderPsTable(containers: ContainerSummary[], nowSeconds: number): string {
  const rows = containers.map((container) => [
    container.id.slice(0, 12),
    container.image,
    `"${ellipsis(container.command, 20)}"`,
    `${humanDuration(nowSeconds - container.created)} ago`,
    container.status,
    displayablePorts(container.portBindings),
    container.name,
  ]);
  return `${layout([PS_HEADER, ...rows], { minWidth: 10 })}\n`;
}

export const IMAGE_LS_HEADER = ["IMAGE", "ID", "DISK USAGE", "CONTENT SIZE", "EXTRA"];

export interface ImageRow extends ImageUsage {
  /** The reference the row is listed under. */
  reference: string;
}

/** `docker image ls` in CLI 29's collapsed view (the "U  In Use" legend is printed on a terminal only). */
export function renderImageTable(images: ImageRow[]): string {
  const rows = images.map((image) => [
    image.reference,
    image.id.replace(/^sha256:/, "").slice(0, 12),
    humanSize(image.diskUsage),
    humanSize(image.contentSize),
    image.inUse ? "U" : "",
  ]);
  return `${layout([IMAGE_LS_HEADER, ...rows], { minWidth: 0, align: ["left", "left", "right", "right", "left"] })}\n`;
}

/** The docker CLI's Ellipsis: at most `width` characters, the last one an ellipsis when cut. */
export function ellipsis(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join("")}…`;
}

/** go-units HumanDuration, which `docker ps` uses for CREATED. */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return "Less than a second";
  if (s === 1) return "1 second";
  if (s < 60) return `${s} seconds`;
  const minutes = Math.floor(s / 60);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(s / 3600);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(s / 3600 / 24 / 365)} years`;
}

const UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** go-units HumanSizeWithPrecision(size, 3): decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(3))}${UNITS[unit]}`;
}

type Port = ContainerSummary["portBindings"][number];

function hostPort(ip: string, port: string): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The docker CLI's DisplayablePorts: ranges grouped, published ports as host->container. */
export function displayablePorts(ports: Port[]): string {
  const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...ports].sort(
    (a, b) =>
      a.privatePort - b.privatePort ||
      byteOrder(a.ip ?? "", b.ip ?? "") ||
      (a.publicPort ?? 0) - (b.publicPort ?? 0) ||
      byteOrder(a.type, b.type),
  );
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const mappings: string[] = [];
  const form = (key: string, first: number, last: number) => {
    const slash = key.lastIndexOf("/");
    const ip = slash > 0 ? key.slice(0, slash) : "";
    const type = slash > 0 ? key.slice(slash + 1) : key;
    const range = first === last ? `${first}` : `${first}-${last}`;
    return `${ip ? `${hostPort(ip, range)}->${range}` : range}/${type}`;
  };
  for (const port of sorted) {
    let key = port.type;
    if (port.ip) {
      if (port.publicPort !== port.privatePort) {
        mappings.push(`${hostPort(port.ip, String(port.publicPort))}->${port.privatePort}/${port.type}`);
        continue;
      }
      key = `${port.ip}/${port.type}`;
    }
    const group = groups.get(key);
    if (!group) groups.set(key, { first: port.privatePort, last: port.privatePort });
    else if (port.privatePort === group.last + 1) group.last = port.privatePort;
    else {
      result.push(form(key, group.first, group.last));
      groups.set(key, { first: port.privatePort, last: port.privatePort });
    }
  }
  for (const [key, group] of groups) result.push(form(key, group.first, group.last));
  return [...result, ...mappings].join(", ");
}
