import { join } from "node:path";
import { type Environment, runQuietly } from "./multiarch-support.ts";

/** One finding of BuildKit's build checks, as `docker build --check` reports it. */
export interface BuildCheckWarning {
  /** BuildKit's rule, e.g. "JSONArgsRecommended". */
  rule: string;
  /** The finding, e.g. "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals". */
  detail: string;
  /** The rule's page in Docker's documentation. */
  url: string | undefined;
  line: number | undefined;
}

export interface BuildCheckReport {
  warnings: BuildCheckWarning[];
  /** When the checks could not run to the end (a base image that cannot be resolved): why. */
  stoppedBy: string | undefined;
}

interface RawCheck {
  warnings?: Array<{
    ruleName?: string;
    detail?: string;
    description?: string;
    url?: string;
    location?: { ranges?: Array<{ start?: { line?: number } }> };
  }> | null;
  buildError?: { message?: string };
}

/** The argv after `docker`: BuildKit's checks of a Dockerfile, without building (`docker build --check`). */
export function buildCheckArgs(context: string, dockerfile: string): string[] {
  return [
    "buildx",
    "build",
    "--builder",
    "default",
    "--call=check,format=json",
    "--progress=quiet",
    "--file",
    join(context, dockerfile),
    context,
  ];
}

/** Reads the JSON `--call=check,format=json` prints on stdout. */
export function parseBuildCheck(stdout: string): BuildCheckReport | undefined {
  let raw: RawCheck;
  try {
    raw = JSON.parse(stdout) as RawCheck;
  } catch {
    return undefined;
  }
  return {
    warnings: (raw.warnings ?? []).map((warning) => ({
      rule: warning.ruleName ?? "BuildKit",
      detail: warning.detail ?? warning.description ?? "",
      url: warning.url || undefined,
      line: warning.location?.ranges?.[0]?.start?.line,
    })),
    stoppedBy: raw.buildError?.message,
  };
}

/** Runs BuildKit's checks; undefined when buildx printed no report (no buildx, an engine that is gone). */
export async function runBuildChecks(
  context: string,
  dockerfile: string,
  env: Environment,
): Promise<BuildCheckReport | undefined> {
  // Exit code 1 means "warnings found" as much as "could not check": the JSON tells which.
  const outcome = await runQuietly("docker", buildCheckArgs(context, dockerfile), env, 120_000);
  return parseBuildCheck(outcome.stdout);
}
