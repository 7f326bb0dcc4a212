/** One event of a pull or push stream, per layer. */
export interface LayerProgress {
  /** Layer id (short digest) or the image reference for whole-image lines. */
  id: string | undefined;
  status: string;
  current: number | undefined;
  total: number | undefined;
}

export type ProgressListener = (event: LayerProgress) => void;

interface StreamEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  stream?: string;
}

export function toLayerProgress(event: StreamEvent): LayerProgress | undefined {
  if (!event.status) return undefined;
  return {
    id: event.id,
    status: event.status,
    current: event.progressDetail?.current,
    total: event.progressDetail?.total,
  };
}

/**
 * The line the docker CLI prints for one pull or push event when its output is not a terminal: `id: status`
 * (or the status alone), and nothing for a progress-bar event, which the CLI draws only on a terminal.
 */
export function cliProgressLine(event: LayerProgress): string | undefined {
  if ((event.current ?? 0) > 0 || (event.total ?? 0) > 0) return undefined;
  return event.id ? `${event.id}: ${event.status}` : event.status;
}

export function streamError(event: StreamEvent): string | undefined {
  return event.errorDetail?.message ?? event.error;
}

export type { StreamEvent };

/** Summarises per-layer progress into one line, e.g. "3/5 layers, 12.1 MB of 30.4 MB". */
export class PullProgressTracker {
  private readonly layers = new Map<string, { current: number; total: number; done: boolean }>();

  update(event: LayerProgress): void {
    if (!event.id || !/^[0-9a-f]{12,}$/.test(event.id)) return;
    const layer = this.layers.get(event.id) ?? { current: 0, total: 0, done: false };
    if (event.total) layer.total = event.total;
    if (event.current !== undefined && /Downloading/i.test(event.status)) layer.current = event.current;
    if (/Pull complete|Already exists|Download complete/i.test(event.status)) {
      layer.done = true;
      layer.current = layer.total;
    }
    this.layers.set(event.id, layer);
  }

  summary(): string {
    const all = [...this.layers.values()];
    const done = all.filter((layer) => layer.done).length;
    const current = all.reduce((sum, layer) => sum + layer.current, 0);
    const total = all.reduce((sum, layer) => sum + layer.total, 0);
    const bytes = total > 0 ? `, ${formatBytes(current)} of ${formatBytes(total)}` : "";
    return `${done}/${all.length} layers${bytes}`;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = "B";
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${unit}`;
}
