import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../src/standins.ts";

// The upstream-images workflow, checked offline: GitHub's published workflow schema (through
// @action-validator/core), then what the run must contain to be a run against the real images.
const FILE = join(REPO_ROOT, ".github", "workflows", "upstream-images.yml");
const text = readFileSync(FILE, "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}

it("is a valid GitHub Actions workflow", () => {
  const state = validateWorkflow(text);
  expect(
    state.errors.map((error) => `${"path" in error ? error.path : ""} ${error.title}: ${error.detail ?? ""}`),
  ).toEqual([]);
});

it("the validator does reject a broken workflow", () => {
  const broken = text.replace("runs-on: ubuntu-24.04", "runs-on: [ubuntu-24.04\n");
  expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  const unknownKey = text.replace("timeout-minutes: 90", "timeout-minutes: 90\n    sometimes: true");
  expect(validateWorkflow(unknownKey).errors.length).toBeGreaterThan(0);
});

it("runs on every push and weekly, with BCT_IMAGES=upstream, qemu, the course registry and Node from .node-version", () => {
  const workflow = parse(text) as {
    on: Record<string, unknown>;
    jobs: Record<string, { env: Record<string, string>; steps: Step[] }>;
  };
  expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "schedule"]));
  const job = workflow.jobs.upstream!;
  expect(job.env.BCT_IMAGES).toBe("upstream");
  expect(job.env.CI).toBe("true");
  const uses = job.steps.map((step) => step.uses?.split("@")[0]).filter(Boolean);
  expect(uses).toEqual(
    expect.arrayContaining(["actions/checkout", "docker/setup-qemu-action", "actions/setup-node"]),
  );
  const node = job.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
  expect(node?.with?.["node-version-file"]).toBe(".node-version");
  const runs = job.steps.map((step) => step.run ?? "").join("\n");
  expect(runs).toContain("bash .ci/start-registry.sh");
  expect(runs).toContain("pnpm install --frozen-lockfile");
  expect(runs).toMatch(/^pnpm test$/m);
});
