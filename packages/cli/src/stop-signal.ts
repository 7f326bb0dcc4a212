/** The process that started this one, read as early as possible: pnpm's shell, or a terminal's. */
const launchedBy = process.ppid;

/**
 * Resolves on SIGINT, on SIGTERM, or when the process that started this one is gone. `pnpm <script>`
 * may die of a SIGTERM without passing it on, and a server left behind would hold its port.
 */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(watch);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    const watch = setInterval(() => {
      if (process.ppid !== launchedBy) stop();
    }, 500);
    watch.unref();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
