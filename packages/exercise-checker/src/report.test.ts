import { palette } from "@bct/cli";
import { describe, expect, it } from "vitest";
import { renderReport } from "./report.ts";
import type { CheckReport, CriterionResult } from "./schema.ts";

const plain = palette(false);

function criterion(id: string, status: CriterionResult["status"], extra: Partial<CriterionResult> = {}) {
  return {
    id,
    kind: id,
    title: `title of ${id}`,
    status,
    message: `${id} ${status}`,
    measured: null,
    hint: null,
    durationMs: 1,
    ...extra,
  };
}

describe("renderReport", () => {
  it("shows each criterion with its mark, advice under the Dockerfile, hints, and 'N of M passed'", () => {
    const report: CheckReport = {
      exercise: "webserver-volume-access",
      dir: "/tmp/x",
      complete: false,
      passed: 1,
      total: 4,
      advice: [
        {
          rule: "runs-as-root",
          source: "course",
          line: 6,
          message: "The final stage sets no USER.",
          url: null,
        },
      ],
      criteria: [
        criterion("dockerfile", "pass"),
        criterion("builds", "fail", { hint: "first line\nsecond line" }),
        criterion("listens", "skip", { hint: "not shown for a skip" }),
        criterion("attendee-container", "open", { hint: "docker run ..." }),
      ],
      timings: {},
    };
    expect(renderReport(report, plain)).toMatchInlineSnapshot(`
      "Checking webserver-volume-access in /tmp/x

      ✓ title of dockerfile
          dockerfile pass
          advice (line 6): The final stage sets no USER.
      ✗ title of builds
          builds fail
          hint: first line
                second line
      - title of listens
          listens skip
      ○ title of attendee-container
          attendee-container open
          hint: docker run ...

      1 of 4 passed
      "
    `);
  });

  it("ends with 'exercise complete' when every criterion passed", () => {
    const report: CheckReport = {
      exercise: "x",
      dir: "/tmp/x",
      complete: true,
      passed: 1,
      total: 1,
      advice: [],
      criteria: [criterion("dockerfile", "pass")],
      timings: {},
    };
    expect(renderReport(report, plain).trimEnd().split("\n").at(-1)).toBe("exercise complete");
  });
});
