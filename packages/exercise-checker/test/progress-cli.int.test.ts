import { appendFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { runCliToEnd } from "./cli.ts";
import { fixtureFolder } from "./workspace.ts";

describeWithEngine("pnpm check-exercise on a first naive single-stage attempt", () => {
  it("shows each build step as it starts, its output, and how long the running step has run", async () => {
    const attempt = fixtureFolder("naive-single-stage");
    try {
      // A change of its own, so that the compile really runs instead of coming from the build cache.
      appendFileSync(join(attempt.dir, "main.go"), `\n// attempt ${process.pid} ${Date.now()}\n`);
      const run = await runCliToEnd(["--dir", `./${basename(attempt.dir)}`], {
        INIT_CWD: dirname(attempt.dir),
      });
      expect(run.code, run.stderr).toBe(1);
      const make = /^#(\d+) \[4\/4\] RUN make$/m.exec(run.stderr);
      expect(make, run.stderr).not.toBeNull();
      const step = make![1];
      expect(run.stderr).toMatch(new RegExp(`^#${step} \\d+\\.\\d{3} CGO_ENABLED=0 go build .*$`, "m"));
      expect(run.stderr).toMatch(new RegExp(`^#${step} DONE \\d+\\.\\ds$`, "m"));
      // Not a terminal: the progress line comes every 10 s while the compile runs.
      expect(run.stderr).toMatch(/^build: \[4\/4\] RUN make, running for \d+ s$/m);
      expect(run.stdout).toMatch(/^✗ The image is small$/m);
    } finally {
      attempt.remove();
    }
  }, 600_000);
});
