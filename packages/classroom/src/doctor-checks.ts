import { statfsSync } from "node:fs";
import {
  BUILDX_INSTALL_HINT,
  buildxStatus,
  COMPOSE_INSTALL_HINT,
  connectEngine,
  type Engine,
  findListeningProcess,
  formatBytes,
  isHostPortFree,
  isKitError,
  MULTIARCH_FIX,
  MULTIARCH_PLATFORMS,
  missingBinfmtEntries,
  readBinfmtEntry,
  registryAnswers,
  runQuietly,
  START_DOCKER_HINT,
  splitReference,
  unbuildablePlatforms,
} from "@bct/engine";
import type { CourseImage } from "@bct/example-runner";
import { DOCKER_HUB, dockerHubRateLimit, type HubEndpoints } from "./docker-hub.ts";
import { LOAD_FROM_FIX, pullBudget, pullsStillNeeded } from "./hub-pulls.ts";

export type CheckStatus = "ok" | "fail" | "skip";

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** A failed required check makes the doctor exit 1; an optional one only informs. */
  required: boolean;
  detail: string;
  fix?: string;
}

/** Host ports the examples publish (8090: the compose example's proxy), the course registry (5000) and the deck preview (4100). */
export const COURSE_PORTS = [1234, 8080, 8090, 9090, 5000, 4100] as const;
export const REGISTRY_PORT = 5000;
export const DECK_PORT = 4100;

/** Below this the examples' builds fail; below the warning a few image pulls will fill the disk. */
export const DISK_REQUIRED_BYTES = 2e9;

export interface DoctorContext {
  env: Record<string, string | undefined>;
  loadCourseImages: () => Promise<CourseImage[]>;
  hub?: HubEndpoints;
  ports?: readonly number[];
  /** Where the course registry must answer (default 5000). */
  registryPort?: number;
  binfmtRoot?: string;
  /** The attendee's own container at the end of the exercise: its image and the host port it publishes. */
  exerciseContainer?: ExerciseContainer;
}

export interface ExerciseContainer {
  image: string;
  hostPort: number;
}

const ok = (id: string, title: string, detail: string, required = true): CheckResult => ({
  id,
  title,
  status: "ok",
  required,
  detail,
});
const fail = (id: string, title: string, detail: string, fix: string, required = true): CheckResult => ({
  id,
  title,
  status: "fail",
  required,
  detail,
  fix,
});
const skip = (id: string, title: string, detail: string, required = true): CheckResult => ({
  id,
  title,
  status: "skip",
  required,
  detail,
});

export async function runDoctorChecks(context: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let engine: Engine | undefined;
  try {
    engine = await connectEngine({ owner: "classroom:doctor", env: context.env, pingTimeoutMs: 3000 });
    const version = await engine.version();
    results.push(
      ok(
        "engine",
        "Docker Engine",
        `Docker ${version.version} (API ${version.apiVersion}, ${version.os}/${version.arch}) at ${engine.endpoint.host}`,
      ),
    );
  } catch (error) {
    const message = isKitError(error) ? error.message : String(error);
    const hint = isKitError(error) ? (error.hint ?? START_DOCKER_HINT) : START_DOCKER_HINT;
    results.push(fail("engine", "Docker Engine", oneLine(message), oneLine(hint)));
  }

  results.push(await checkDockerCli(context));
  results.push(await checkBuildx(engine, context));
  results.push(await checkCompose(context));
  results.push(checkBinfmt(context.binfmtRoot));
  const registryPort = context.registryPort ?? REGISTRY_PORT;
  const exercise = context.exerciseContainer ?? (await exerciseContainerOfCourse());
  for (const port of context.ports ?? COURSE_PORTS)
    results.push(
      await (port === registryPort
        ? checkRegistry(port, engine, exercise)
        : checkPort(port, engine, exercise)),
    );
  results.push(await checkDisk(engine, context));
  results.push(await checkCourseImages(engine, context));
  results.push(await checkDockerHub(engine, context));
  return results;
}

/** Every build of the kit runs `docker buildx build`: without the docker CLI nothing builds. */
async function checkDockerCli(context: DoctorContext): Promise<CheckResult> {
  const title = "docker CLI";
  const version = await runQuietly("docker", ["--version"], context.env);
  if (!version.ok)
    return fail(
      "docker-cli",
      title,
      "no docker command on PATH: the examples and the checker build with docker buildx build",
      oneLine(BUILDX_INSTALL_HINT),
    );
  return ok("docker-cli", title, version.stdout.trim());
}

/** The compose example runs `docker compose`: the docker CLI's Compose plugin (v2; v1's docker-compose is gone). */
async function checkCompose(context: DoctorContext): Promise<CheckResult> {
  const title = "docker compose";
  const version = await runQuietly("docker", ["compose", "version", "--short"], context.env);
  if (!version.ok)
    return fail(
      "compose",
      title,
      `not installed (${oneLine(version.stderr.trim().split("\n")[0] ?? "docker compose version failed")}): the compose example needs the Compose plugin`,
      oneLine(COMPOSE_INSTALL_HINT),
    );
  return ok("compose", title, `Compose ${version.stdout.trim()}`);
}

async function checkBuildx(engine: Engine | undefined, context: DoctorContext): Promise<CheckResult> {
  const title = "buildx";
  if (!engine) return skip("buildx", title, "needs a reachable engine");
  const status = await buildxStatus(engine.cliEnvironment(context.env), context.binfmtRoot);
  if (!status.installed)
    return fail(
      "buildx",
      title,
      `not installed (${status.note ?? "docker buildx failed"}): every build of the kit needs it`,
      oneLine(BUILDX_INSTALL_HINT),
    );
  const missing = unbuildablePlatforms(status);
  const builder = `builder ${status.builder ?? "?"} (${status.driver ?? "?"} driver${status.driver === "docker" ? `, ${status.containerdImageStore ? "containerd" : "classic"} image store` : ""})`;
  const platforms = status.buildablePlatforms.filter((platform) =>
    (MULTIARCH_PLATFORMS as readonly string[]).includes(platform),
  );
  if (missing.length > 0) {
    return fail(
      "buildx",
      title,
      `buildx ${status.version}, ${builder} cannot build ${missing.join(", ")}`,
      MULTIARCH_FIX.builder,
    );
  }
  if (!status.reachesHostRegistry) {
    return fail(
      "buildx",
      title,
      `buildx ${status.version}, ${builder} builds for every platform but cannot push to localhost:5000 (not on the host's network)`,
      MULTIARCH_FIX.pushBuilder,
    );
  }
  return ok(
    "buildx",
    title,
    `buildx ${status.version}, ${builder} builds ${platforms.join(", ")}${status.note ? ` (${status.note})` : ""}`,
  );
}

function checkBinfmt(root?: string): CheckResult {
  const title = "binfmt (qemu)";
  const missing = missingBinfmtEntries(root);
  if (missing.length > 0)
    return fail("binfmt", title, `not enabled: ${missing.join(", ")}`, MULTIARCH_FIX.binfmt);
  // The F flag ("fix binary") loads the emulator when it is registered, so that containers can use it.
  const names = ["qemu-aarch64", "qemu-arm"];
  const withoutF = names.filter((name) => !(readBinfmtEntry(name, root)?.flags ?? "").includes("F"));
  const reach =
    withoutF.length === 0
      ? "usable inside containers"
      : `registered without the F flag (${withoutF.join(", ")}), so containers may not find the emulator`;
  return ok("binfmt", title, `enabled: ${names.join(", ")}, ${reach}`);
}

/** The registry's port is not to be free: the push and multi-arch examples need a registry answering there. */
async function checkRegistry(
  port: number,
  engine: Engine | undefined,
  exercise: ExerciseContainer,
): Promise<CheckResult> {
  if (await registryAnswers(`127.0.0.1:${port}`))
    return ok(`port-${port}`, `port ${port}`, "in use by the course registry");
  if (await isHostPortFree(port))
    return fail(
      `port-${port}`,
      `port ${port}`,
      "free, but the course registry should answer here (tag-push-pull and multi-arch push to it)",
      port === REGISTRY_PORT ? MULTIARCH_FIX.registry : `Start a registry on port ${port}`,
    );
  return checkPort(port, engine, exercise, "no registry answers there; it is in use by");
}

async function exerciseContainerOfCourse(): Promise<ExerciseContainer> {
  const { DEFAULT_EXERCISE_DIR, loadExercise } = await import("@bct/exercise-checker");
  const exercise = loadExercise(DEFAULT_EXERCISE_DIR);
  return { image: exercise.image, hostPort: exercise.attendee.hostPort };
}

async function checkPort(
  port: number,
  engine: Engine | undefined,
  exercise: ExerciseContainer,
  heldBy = "in use by",
): Promise<CheckResult> {
  const id = `port-${port}`;
  const title = `port ${port}`;
  if (await isHostPortFree(port)) return ok(id, title, "free");
  // A published port is held by Docker's own proxy: the container that publishes it is what to name.
  const publisher = engine ? await containerPublishing(engine, port) : undefined;
  if (publisher) {
    const mapping = `${port}->${publisher.containerPort}`;
    if (port === exercise.hostPort && splitReference(publisher.image).repo === exercise.image) {
      return ok(
        id,
        title,
        `in use by your exercise container '${publisher.name}' (${mapping}), as it should be`,
      );
    }
    const whose = publisher.managed ? "the kit's container" : "the container";
    return fail(
      id,
      title,
      `${heldBy} ${whose} '${publisher.name}' (image ${publisher.image}, ${mapping})`,
      `Stop it when you are done with it: docker stop ${publisher.name}`,
    );
  }
  const holder = findListeningProcess(port);
  if (port === DECK_PORT && holder && /marp|deck/.test(holder.command)) {
    return ok(id, title, `in use by the deck preview (process ${holder.pid})`);
  }
  if (holder && /(^|\/)docker-proxy\b/.test(holder.command)) {
    return fail(
      id,
      title,
      `${heldBy} Docker's port proxy (process ${holder.pid}): a container publishes it`,
      `Find that container and stop it: docker ps --filter publish=${port}, then docker stop <name>`,
    );
  }
  const who = holder
    ? `process ${holder.pid} (${holder.command.slice(0, 80)})`
    : "another process or a container";
  return fail(
    id,
    title,
    `${heldBy} ${who}`,
    holder
      ? `Stop it (kill ${holder.pid}), or stop the container publishing it (docker ps --filter publish=${port})`
      : `See who holds it: docker ps --filter publish=${port}; ss -ltnp 'sport = :${port}'`,
  );
}

async function containerPublishing(engine: Engine, port: number) {
  const running = await engine.containers.list();
  for (const container of running) {
    const binding = container.portBindings.find((candidate) => candidate.publicPort === port);
    if (binding) return { ...container, containerPort: binding.privatePort };
  }
  return undefined;
}

async function checkDisk(engine: Engine | undefined, context: DoctorContext): Promise<CheckResult> {
  const title = "free disk";
  let path = "/";
  if (engine) {
    const root = await runQuietly(
      "docker",
      ["info", "--format", "{{.DockerRootDir}}"],
      engine.cliEnvironment(context.env),
    );
    if (root.ok && root.stdout.trim()) path = root.stdout.trim();
  }
  let free: number;
  try {
    const stats = statfsSync(path);
    free = stats.bavail * stats.bsize;
  } catch {
    path = "/";
    const stats = statfsSync(path);
    free = stats.bavail * stats.bsize;
  }
  const detail = `${formatBytes(free)} free on ${path}`;
  if (free < DISK_REQUIRED_BYTES) {
    return fail(
      "disk",
      title,
      `${detail} (the course needs ${formatBytes(DISK_REQUIRED_BYTES)})`,
      "Free some space: pnpm example clean removes what the kit made; docker image prune removes dangling images",
    );
  }
  return ok("disk", title, detail);
}

async function checkCourseImages(engine: Engine | undefined, context: DoctorContext): Promise<CheckResult> {
  const title = "course images";
  if (!engine) return skip("images", title, "needs a reachable engine", false);
  const images = await context.loadCourseImages();
  const present = await Promise.all(images.map((image) => engine.images.exists(image.ref)));
  const missing = images.filter((_, index) => !present[index]).map((image) => image.ref);
  if (missing.length > 0) {
    return fail(
      "images",
      title,
      `${images.length - missing.length}/${images.length} present; missing ${missing.join(", ")}`,
      "pnpm images pull (offline or rate-limited: pnpm images load --from http://TRAINER-ADDRESS:4300)",
      false,
    );
  }
  return ok("images", title, `all ${images.length} present`, false);
}

async function checkDockerHub(engine: Engine | undefined, context: DoctorContext): Promise<CheckResult> {
  const title = "Docker Hub pulls";
  const answer = await dockerHubRateLimit(context.hub ?? DOCKER_HUB);
  if (!engine) {
    return skip(
      "docker-hub",
      title,
      `needs a reachable engine to count the pulls (Docker Hub: ${answer.reachable ? "reachable" : `not reachable, ${answer.reason}`})`,
      false,
    );
  }
  const needed = await pullsStillNeeded(engine, await context.loadCourseImages(), context.env);
  const budget = pullBudget(needed, answer);
  if (budget.status === "fail")
    return fail("docker-hub", title, budget.detail, budget.fix ?? LOAD_FROM_FIX, false);
  return { id: "docker-hub", title, status: budget.status, required: false, detail: budget.detail };
}

export function doctorExitCode(results: CheckResult[]): number {
  return results.some((result) => result.required && result.status === "fail") ? 1 : 0;
}

/** Multi-line engine messages and hints folded into one line: "Tried:\n  a\n  b" → "Tried: a; b". */
export function oneLine(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim().replace(/\s{2,}/g, " "))
    .filter(Boolean)
    .reduce(
      (joined, line) => (joined === "" ? line : `${joined}${joined.endsWith(":") ? " " : "; "}${line}`),
      "",
    );
}
