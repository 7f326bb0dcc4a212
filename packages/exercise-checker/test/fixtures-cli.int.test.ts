import { spawnSync } from "node:child_process";
import { basename, dirname } from "node:path";
import { describeWithEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";
import { checkReportSchema } from "../src/schema.ts";
import { runCliToEnd } from "./cli.ts";
import { fixtureFolder } from "./workspace.ts";

/** Each broken solution of test/fixtures and the criterion it fails first (as check.int.test.ts has it). */
const FIXTURES: Array<[fixture: string, failing: string]> = [
  ["syntax-error", "dockerfile"],
  ["copy-missing-file", "builds"],
  ["single-stage-too-big", "image-size"],
  ["wrong-port", "listens"],
  ["dynamic-binary", "listens"],
  ["make-missing-source", "builds"],
  ["entrypoint-wrong-path", "listens"],
  ["shell-form-in-scratch", "listens"],
  ["entrypoint-without-input", "serves-input"],
  // The probe of a server that never answers once ended the process with Node's exit 13: twice more.
  ["wrong-port", "listens"],
  ["wrong-port", "listens"],
];

function leftBehind(session: string): string[] {
  const kinds = [
    ["ps", "-aq"],
    ["images", "-q"],
    ["network", "ls", "-q"],
    ["volume", "ls", "-q"],
  ];
  return kinds.flatMap((argv) => {
    const listed = spawnSync("docker", [...argv, "--filter", `label=bct.session=${session}`], {
      encoding: "utf8",
    });
    return listed.stdout.split("\n").filter(Boolean);
  });
}

describeWithEngine("pnpm check-exercise as a child process, on every broken solution", () => {
  it.each(FIXTURES.map(([fixture, failing], index) => [fixture, failing, index] as const))(
    "%s: exits 1, reports %s as the failing criterion, and leaves nothing running",
    async (fixture, failing, index) => {
      const attempt = fixtureFolder(fixture);
      const session = `cli-fixture-${index}-${process.pid}`;
      try {
        // --dir as typed in the folder above the attempt: relative to the caller's folder, as pnpm passes it.
        const run = await runCliToEnd(["--json", "--dir", `./${basename(attempt.dir)}`], {
          INIT_CWD: dirname(attempt.dir),
          BCT_SESSION_ID: session,
        });
        expect(run.stderr).not.toContain("Unexpected failure");
        expect(run.code, run.stderr).toBe(1);
        const report = checkReportSchema.parse(JSON.parse(run.stdout));
        expect(report.criteria.find((criterion) => criterion.status === "fail")?.id).toBe(failing);
        expect(report.complete).toBe(false);
        expect(leftBehind(session)).toEqual([]);
      } finally {
        attempt.remove();
      }
    },
    600_000,
  );
});
