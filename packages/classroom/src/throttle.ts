/**
 * Lets a progress line through at most once per interval: a pull or a save reports thousands of
 * events, and off a TTY each one would be a line of its own in the log.
 */
export function throttle(
  emit: (line: string) => void,
  intervalMs = 500,
  now: () => number = Date.now,
): (line: string) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (line) => {
    const time = now();
    if (time - last < intervalMs) return;
    last = time;
    emit(line);
  };
}
