import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ClassFileError } from "./class-state.ts";

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One class server per class file: `<file>.lock` names the process that holds it. A lock whose process
 * is gone (a crash) is taken over. Returns the release.
 */
export function acquireFileLock(file: string): () => void {
  const lock = `${file}.lock`;
  const refuse = (holder: string) =>
    new ClassFileError(
      `Another class server (${holder}) is using ${file}.`,
      "Stop that server first, or keep this class apart: --file OTHER-PATH.",
    );
  if (heldHere.has(lock)) throw refuse(`in this process, ${process.pid}`);
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      heldHere.add(lock);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(lock);
        rmSync(lock, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(lock, "utf8"), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw refuse(`process ${pid}`);
      rmSync(lock, { force: true });
    }
  }
  throw refuse("unknown");
}
