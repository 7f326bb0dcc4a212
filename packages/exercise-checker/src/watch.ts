import { type FSWatcher, unwatchFile, watch, watchFile } from "node:fs";
import { join } from "node:path";

export interface WatchOptions {
  dir: string;
  /** File names in `dir` whose change triggers a re-check. */
  files: string[];
  /** Runs one check; a change during a check queues one more. */
  check: (reason: string) => Promise<void>;
  signal: AbortSignal;
  /** "events" uses fs.watch and falls back to polling when it is not available. */
  mode?: "events" | "poll";
  pollIntervalMs?: number;
  debounceMs?: number;
  onFallback?: (reason: string) => void;
}

/** Checks once, then again after each change of a watched file, until the signal aborts. */
export async function watchAndCheck(options: WatchOptions): Promise<void> {
  const debounceMs = options.debounceMs ?? 300;
  const watched = new Set(options.files);
  let pending: string | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const changed = (file: string) => {
    if (!watched.has(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      pending = file;
      wake?.();
    }, debounceMs);
  };

  const stop = startWatching(options, changed);
  try {
    await options.check("first check");
    while (!options.signal.aborted) {
      if (pending === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          options.signal.addEventListener("abort", () => resolve(), { once: true });
        });
        wake = undefined;
      }
      if (options.signal.aborted || pending === undefined) continue;
      const reason = `${pending} changed`;
      pending = undefined;
      await options.check(reason);
    }
  } finally {
    clearTimeout(timer);
    stop();
  }
}

function startWatching(options: WatchOptions, changed: (file: string) => void): () => void {
  if (options.mode !== "poll") {
    try {
      const watcher: FSWatcher = watch(options.dir, (_event, file) => {
        if (file) changed(file.toString());
      });
      let polling: (() => void) | undefined;
      watcher.on("error", (error) => {
        options.onFallback?.(`file events stopped (${error.message}); polling instead`);
        watcher.close();
        polling ??= startPolling(options, changed);
      });
      return () => {
        watcher.close();
        polling?.();
      };
    } catch (error) {
      options.onFallback?.(`file events are not available (${(error as Error).message}); polling instead`);
    }
  }
  return startPolling(options, changed);
}

function startPolling(options: WatchOptions, changed: (file: string) => void): () => void {
  const interval = options.pollIntervalMs ?? 1000;
  const paths = options.files.map((file) => join(options.dir, file));
  options.files.forEach((file, index) => {
    watchFile(paths[index]!, { interval, persistent: true }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) changed(file);
    });
  });
  return () => {
    for (const path of paths) unwatchFile(path);
  };
}
