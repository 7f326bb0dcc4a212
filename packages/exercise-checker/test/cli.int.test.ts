import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { checkReportSchema } from "../src/schema.ts";
import { runCliToEnd, startCli, waitFor } from "./cli.ts";

describeWithEngine("pnpm check-exercise as a command", () => {
  it("--json prints one report that matches its schema, and exits 1 when criteria are not met", async () => {
    const run = await runCliToEnd(["--json", "--dir", "exercise/webserver-volume-access"]);
    expect(run.code).toBe(1);
    const report = checkReportSchema.parse(JSON.parse(run.stdout));
    expect(report.criteria.map((result) => result.status)).toEqual([
      "fail",
      "skip",
      "skip",
      "skip",
      "skip",
      "skip",
      "open",
    ]);
    expect(report).toMatchObject({ passed: 0, total: 7, complete: false });
  });

  it("prints the criteria with ✓/✗ and ends with 'N of M passed'", async () => {
    const run = await runCliToEnd(["--dir", "exercise/webserver-volume-access"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ A Dockerfile exists and parses$/m);
    expect(run.stdout).toMatch(/hint: Create a Dockerfile in this folder/);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("0 of 7 passed");
  });

  it("--watch checks again after the Dockerfile changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bct-watch-"));
    const run = startCli(["--watch", "--json", "--dir", dir]);
    try {
      const reports = () =>
        run
          .stdout()
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => checkReportSchema.parse(JSON.parse(line)));
      await waitFor(() => reports().length === 1, 60_000, "the first report");
      expect(reports()[0]!.criteria[0]!.message).toMatch(/There is no Dockerfile/);

      writeFileSync(join(dir, "Dockerfile"), "FROM golang:1.27\nCOPPY . /src\n");
      await waitFor(() => reports().length === 2, 60_000, "a second report after the edit");
      expect(reports()[1]!.criteria[0]!.message).toBe(
        "Dockerfile line 2: Unknown instruction COPPY (did you mean COPY?).",
      );
      run.child.kill("SIGINT");
      expect(await run.exit).toBe(130);
    } finally {
      run.child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
