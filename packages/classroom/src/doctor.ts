#!/usr/bin/env node
import {
  type CommandSpec,
  type Console,
  parseCommandArgs,
  renderHelp,
  runCli,
  useCompileCache,
} from "@bct/cli";
import { EXIT } from "@bct/errors";
import { findRepoRoot, isEntryPoint } from "./repo-root.ts";

export const doctorCommand: CommandSpec = {
  usage: "pnpm exec doctor",
  summary:
    "Checks this machine for the course: the engine, buildx and its platforms, qemu's binfmt entries, free ports " +
    "(examples, registry, deck), free disk, the course images and Docker Hub's pull limit.\n" +
    "Exits 1 when a required check fails; optional checks (images, Docker Hub) only inform.\n" +
    "Run it as `pnpm exec doctor`: a bare `pnpm doctor` is pnpm's own command.",
  options: {
    json: { type: "boolean", description: "Print the checks as JSON" },
  },
  examples: ["pnpm exec doctor", "pnpm exec doctor --json"],
};

export async function doctorMain(
  argv: string[],
  console: Console,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const args = parseCommandArgs(doctorCommand, argv);
  if (args.help) {
    console.print(renderHelp(doctorCommand).trimEnd());
    return EXIT.ok;
  }
  // Only what --help needs loads up front.
  const [{ hubEndpointsFrom }, { doctorExitCode, runDoctorChecks }, { formatCheck }, { listCourseImages }] =
    await Promise.all([
      import("./docker-hub.ts"),
      import("./doctor-checks.ts"),
      import("./doctor-format.ts"),
      import("./image-commands.ts"),
    ]);
  const repoRoot = findRepoRoot();
  const results = await runDoctorChecks({
    env,
    loadCourseImages: () => listCourseImages(repoRoot),
    hub: hubEndpointsFrom(env),
  });
  const code = doctorExitCode(results);
  if (args.values.json === true) {
    console.print(JSON.stringify({ ok: code === 0, checks: results }, null, 2));
  } else {
    for (const result of results) {
      const line = formatCheck(result);
      const colour =
        result.status === "ok"
          ? console.out.green
          : result.status === "fail"
            ? console.out.red
            : console.out.dim;
      console.print(colour(line));
    }
  }
  return code;
}

if (isEntryPoint(import.meta.url)) {
  useCompileCache();
  await runCli((console) => doctorMain(process.argv.slice(2), console));
}
