import {
  type BuildxStatus,
  buildxStatus,
  type Engine,
  KitError,
  MULTIARCH_FIX,
  missingBinfmtEntries,
  registryAnswers,
  unbuildablePlatforms,
} from "@bct/engine";
import type { LoadedExample } from "./loader.ts";
import type { Requirement } from "./schema.ts";

/** How the host is probed; injectable so the checks can be tested against a machine that lacks things. */
export interface RequirementProbes {
  buildx(): Promise<BuildxStatus>;
  missingBinfmt(): string[];
  registryAnswers(): Promise<boolean>;
}

export function hostProbes(engine: Engine): RequirementProbes {
  return {
    buildx: () => buildxStatus(engine.cliEnvironment()),
    missingBinfmt: () => missingBinfmtEntries(),
    registryAnswers: () => registryAnswers("127.0.0.1:5000"),
  };
}

export interface UnmetRequirement {
  requirement: Requirement;
  problem: string;
  fix: string;
}

export async function unmetRequirements(
  requires: readonly Requirement[],
  probes: RequirementProbes,
): Promise<UnmetRequirement[]> {
  const unmet: UnmetRequirement[] = [];
  for (const requirement of new Set(requires)) {
    if (requirement === "buildx-multiarch") {
      const status = await probes.buildx();
      if (!status.installed) {
        unmet.push({
          requirement,
          problem: "the docker buildx plugin is not installed",
          fix: MULTIARCH_FIX.buildx,
        });
        continue;
      }
      const missing = unbuildablePlatforms(status);
      if (missing.length > 0) {
        unmet.push({
          requirement,
          problem: `the buildx builder ${status.builder ?? "?"} (${status.driver ?? "?"} driver) cannot build ${missing.join(", ")}`,
          fix: MULTIARCH_FIX.builder,
        });
      } else if (!status.reachesHostRegistry) {
        unmet.push({
          requirement,
          problem: `the buildx builder ${status.builder ?? "?"} (${status.driver ?? "?"} driver) does not reach localhost:5000 (it runs off the host's network)`,
          fix: MULTIARCH_FIX.pushBuilder,
        });
      }
    }
    if (requirement === "qemu-binfmt") {
      const missing = probes.missingBinfmt();
      if (missing.length > 0) {
        unmet.push({
          requirement,
          problem: `qemu's binfmt entries are not enabled: ${missing.join(", ")}`,
          fix: MULTIARCH_FIX.binfmt,
        });
      }
    }
    if (requirement === "local-registry" && !(await probes.registryAnswers())) {
      unmet.push({
        requirement,
        problem: "no registry answers on localhost:5000",
        fix: MULTIARCH_FIX.registry,
      });
    }
  }
  return unmet;
}

/** Stops an example before its first step when the host lacks what it `requires`, naming each fix. */
export async function checkRequirements(
  example: LoadedExample,
  engine: Engine,
  probes: RequirementProbes = hostProbes(engine),
): Promise<void> {
  const unmet = await unmetRequirements(example.manifest.requires ?? [], probes);
  if (unmet.length === 0) return;
  throw new KitError(
    "REQUIREMENT_MISSING",
    `Example ${example.name} needs what this machine lacks; nothing was built or started:\n${unmet
      .map((entry) => `  ✗ ${entry.problem}`)
      .join("\n")}`,
    {
      hint: `Fix:\n${unmet.map((entry) => `  ${entry.fix}`).join("\n")}\nThen check with: pnpm exec doctor`,
    },
  );
}
