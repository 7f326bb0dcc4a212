import { describe, expect, it } from "vitest";
import type { CheckResult } from "./doctor-checks.ts";
import { doctorExitCode, oneLine } from "./doctor-checks.ts";
import { formatCheck } from "./doctor-format.ts";

const check = (overrides: Partial<CheckResult>): CheckResult => ({
  id: "x",
  title: "binfmt (qemu)",
  status: "ok",
  required: true,
  detail: "enabled",
  ...overrides,
});

describe("formatCheck", () => {
  it("prints a passing check on one line with ✓", () => {
    expect(formatCheck(check({}))).toBe("✓ binfmt (qemu): enabled");
  });

  it("prints a failing check with ✗ and its fix on the same line", () => {
    expect(
      formatCheck(
        check({ status: "fail", detail: "not enabled: qemu-arm", fix: "sudo update-binfmts --enable" }),
      ),
    ).toBe("✗ binfmt (qemu): not enabled: qemu-arm → fix: sudo update-binfmts --enable");
  });

  it("marks an optional failure and a skipped check", () => {
    expect(formatCheck(check({ status: "fail", required: false, fix: "pnpm images pull" }))).toBe(
      "✗ binfmt (qemu): enabled (optional) → fix: pnpm images pull",
    );
    expect(formatCheck(check({ status: "skip", detail: "needs a reachable engine" }))).toBe(
      "- binfmt (qemu): needs a reachable engine",
    );
  });
});

describe("doctorExitCode", () => {
  it("is 1 only when a required check fails", () => {
    expect(doctorExitCode([check({}), check({ status: "fail", required: false })])).toBe(0);
    expect(doctorExitCode([check({}), check({ status: "skip" })])).toBe(0);
    expect(doctorExitCode([check({ status: "fail" })])).toBe(1);
  });
});

describe("oneLine", () => {
  it("folds the engine's multi-line message and hint into one line", () => {
    expect(
      oneLine(
        "Cannot reach a Docker Engine. Tried:\n  unix:///a.sock (DOCKER_HOST): ENOENT\n  unix:///b.sock: ENOENT",
      ),
    ).toBe(
      "Cannot reach a Docker Engine. Tried: unix:///a.sock (DOCKER_HOST): ENOENT; unix:///b.sock: ENOENT",
    );
    expect(oneLine("Start Docker:\n  Linux:   sudo systemctl start docker\n")).toBe(
      "Start Docker: Linux: sudo systemctl start docker",
    );
  });
});
