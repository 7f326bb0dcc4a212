import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { chooseHint } from "./check.ts";
import { DEFAULT_EXERCISE_DIR, loadExercise } from "./exercise-file.ts";

describe("exercise.yaml", () => {
  it("validates, with the criteria in the order the issue asks for", () => {
    const exercise = loadExercise(DEFAULT_EXERCISE_DIR);
    expect(exercise.criteria.map((criterion) => criterion.kind)).toEqual([
      "dockerfile",
      "builds",
      "image-size",
      "listens",
      "serves-input",
      "follows-edits",
      "attendee-container",
    ]);
    expect(exercise.attendee.hostPort).toBe(9090);
    expect(exercise.app).toMatchObject({ port: 8080, inputPath: "/app/input" });
  });

  it("reports mistakes as path: message lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "bct-exercise-"));
    try {
      const data = parse(readFileSync(join(DEFAULT_EXERCISE_DIR, "exercise.yaml"), "utf8"));
      data.criteria[2].maxMegabytes = "twenty";
      data.criteria[3].kind = "listen";
      data.criteria[4].colour = "red";
      writeFileSync(join(dir, "exercise.yaml"), stringify(data));
      expect(() => loadExercise(dir)).toThrowError(/criteria\.2\.maxMegabytes: .*number/);
      expect(() => loadExercise(dir)).toThrowError(/criteria\.3\.kind: /);
      expect(() => loadExercise(dir)).toThrowError(/criteria\.4: .*colour/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("picks a matching diagnosis over the runner's hint over the criterion's hint", () => {
    const listens = loadExercise(DEFAULT_EXERCISE_DIR).criteria.find(
      (criterion) => criterion.id === "listens",
    )!;
    const exited = {
      status: "fail" as const,
      measured: null,
      message: "The container exited with code 255.",
    };
    expect(
      chooseHint(listens, {
        ...exited,
        evidence: "exec /webserver-volume-access: no such file or directory",
      }),
    ).toMatch(/CGO_ENABLED=0/);
    expect(
      chooseHint(listens, { ...exited, evidence: "serving the content of /app/input on port 9000" }),
    ).toMatch(/another port than 8080/);
    expect(
      chooseHint(listens, { ...exited, evidence: "serving the content of /app/input on port 8080" }),
    ).toBe(listens.hint);
    expect(chooseHint(listens, { ...exited, hint: "from the runner" })).toBe("from the runner");
  });
});
