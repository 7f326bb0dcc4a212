import { parseDockerfile } from "@bct/dockerfile";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXERCISE_DIR } from "../src/exercise-file.ts";
import { decodeSolution } from "../src/solution.ts";
import { runCliToEnd } from "./cli.ts";
import { exercise } from "./workspace.ts";

describe("pnpm check-exercise --solution", () => {
  it("refuses without a terminal to confirm on, and says to add --yes", async () => {
    const run = await runCliToEnd(["--solution"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Not showing the solution: there is no terminal to confirm on");
    expect(run.stderr).toContain("pnpm check-exercise --solution --yes");
  });

  it("prints the reference Dockerfile with --yes: multi-stage, scratch, exec-form ENTRYPOINT, numeric non-root user", async () => {
    const run = await runCliToEnd(["--solution", "--yes"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(decodeSolution(exercise, DEFAULT_EXERCISE_DIR));
    const parsed = parseDockerfile(run.stdout);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const [builder, final] = parsed.dockerfile.stages;
    expect(builder!.base).toBe("golang:1.27");
    expect(final!.base).toBe("scratch");
    const byKeyword = (keyword: string) =>
      final!.instructions.find((instruction) => instruction.keyword === keyword);
    expect(byKeyword("ENTRYPOINT")!.exec).toEqual(["/webserver-volume-access", "-i", "/app/input"]);
    expect(byKeyword("USER")!.rest).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it("prints its help", async () => {
    const run = await runCliToEnd(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: pnpm check-exercise \[options\]/);
    expect(run.stdout).toMatch(/--watch/);
  });
});
