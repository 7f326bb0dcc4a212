import { describe, expect, it } from "vitest";
import { capturedConsole } from "../test/capture.ts";
import { main } from "./main.ts";

async function run(argv: string[]) {
  const { console, stdout, stderr } = capturedConsole();
  // An unreachable engine proves these paths never connect.
  const env = { ...process.env, DOCKER_HOST: "unix:///nonexistent.sock" };
  try {
    return { code: await main(argv, console, { env }), error: undefined, stdout: stdout(), stderr: stderr() };
  } catch (error) {
    return { code: undefined, error, stdout: stdout(), stderr: stderr() };
  }
}

describe("pnpm example (no engine needed)", () => {
  it("lists the examples grouped by deck section, with their one-line descriptions", async () => {
    const result = await run([]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const firstSteps = lines.indexOf("first-steps");
    const building = lines.indexOf("building-images");
    expect(firstSteps).toBeGreaterThan(0);
    expect(building).toBeGreaterThan(firstSteps);
    expect(lines.slice(firstSteps).find((line) => line.trim().startsWith("hello-world"))).toContain(
      "Pull Docker's smoke-test image and run it once.",
    );
    const cmdLine = lines.findIndex((line) => line.trim().startsWith("cmd "));
    expect(cmdLine).toBeGreaterThan(building);
  });

  it("lists as JSON with --json", async () => {
    const listed = JSON.parse((await run(["--json"])).stdout) as Array<{ name: string; section: string }>;
    expect(listed).toContainEqual(expect.objectContaining({ name: "ports", section: "run-options" }));
  });

  it("has --help, also for clean", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: pnpm example [name | clean] [options]");
    for (const flag of ["--step", "--keep", "--print", "--all", "--json", "--pull <policy>"]) {
      expect(help.stdout).toContain(flag);
    }
    const clean = await run(["clean", "--help"]);
    expect(clean.stdout).toContain("Usage: pnpm example clean [options]");
    expect(clean.stdout).toContain("Nothing else is touched");
  });

  it("writes the script with --print", async () => {
    const printed = await run(["--print", "my-hello-world"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(printed.stdout).toContain("docker build -t my-hello-world .");
  });

  it.each([
    [["prots"], "There is no example named 'prots'. Did you mean 'ports'?"],
    [["ports", "--pull", "sometimes"], "Unknown pull policy 'sometimes'."],
    [["--print"], "--print needs an example name."],
    [["ports", "cmd"], "One example at a time (got ports, cmd)."],
    [["--colour"], "Unknown option --colour."],
  ])("rejects %j with a clear error and exit code 2", async (argv, message) => {
    const result = await run(argv);
    expect(result.error).toMatchObject({ exitCode: 2, message: expect.stringContaining(message) });
  });
});
