import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  type ContainerState,
  type ContainerSummary,
  dockerRunCommand,
  fetchText,
  shellQuote,
  splitReference,
} from "@bct/engine";
import { networkFailure } from "@bct/errors";
import type { Exercise } from "../schema.ts";
import type { CheckContext, CriterionRunner, Outcome } from "./context.ts";
import { describeAnswer, quote } from "./probe-container.ts";

/** The commands the README asks for, with this machine's paths filled in. */
export function attendeeCommands(exercise: Exercise, dir: string): string {
  const input = join(dir, exercise.attendee.inputFile);
  const run = dockerRunCommand(
    {
      image: exercise.image,
      name: exercise.image,
      ports: [{ host: exercise.attendee.hostPort, container: exercise.app.port }],
      mounts: [{ type: "bind", source: input, target: exercise.app.inputPath, readOnly: true }],
    },
    { detach: true, remove: true },
  );
  const lines = [`cd ${shellQuote(dir)}`, `docker build -t ${exercise.image} .`];
  if (!existsSync(input)) lines.push(`echo "hello world" > ${shellQuote(exercise.attendee.inputFile)}`);
  lines.push(run);
  return lines.join("\n");
}

/** Looks at the attendee's own container, never changes it. */
export const checkAttendeeContainer: CriterionRunner<"attendee-container"> = async (_criterion, context) => {
  const started = Date.now();
  try {
    return await inspectAttendeeContainer(context);
  } finally {
    context.timings.attendee = Date.now() - started;
  }
};

async function inspectAttendeeContainer(context: CheckContext): Promise<Outcome> {
  const { engine, exercise, dir } = context;
  const { hostPort } = exercise.attendee;
  const { port, inputPath } = exercise.app;
  const commands = attendeeCommands(exercise, dir);
  const candidates = (await engine.containers.list({ all: true })).filter(
    (container) =>
      !container.managed && (publishes(container, hostPort) || runsImage(container, exercise.image)),
  );
  const running = candidates
    .filter((container) => container.state === "running")
    .sort((a, b) => Number(publishes(b, hostPort)) - Number(publishes(a, hostPort)));
  const found = running[0];
  if (!found) {
    const notes: string[] = [];
    for (const stopped of candidates) notes.push(`container ${stopped.name} exists but is ${stopped.status}`);
    const holder = await engine.containers.findPortHolder(hostPort);
    if (holder) notes.push(`port ${hostPort} is held by ${holder.description}`);
    return {
      status: "open",
      message: `No running container publishes port ${hostPort} or runs the image ${exercise.image}${notes.length ? ` (${notes.join("; ")})` : ""}.`,
      measured: null,
      hint: `Build and start it:\n${commands}`,
    };
  }

  const state = (await engine.containers.inspect(found.id)) as ContainerState;
  const who = `Your container ${state.name} (${state.image})`;
  const rerun = `Start it again with the right options (docker rm -f ${state.name} first, then):\n${commands}`;
  const published = state.ports.filter((binding) => binding.host !== undefined);
  if (!published.some((binding) => binding.host === hostPort && binding.container === port)) {
    const shown =
      published.map((binding) => `${binding.host}->${binding.container}`).join(", ") || "no ports";
    return {
      status: "fail",
      message: `${who} publishes ${shown}, not ${hostPort}->${port}.`,
      measured: shown,
      hint: `Publish host port ${hostPort} to container port ${port} with -p ${hostPort}:${port}. ${rerun}`,
    };
  }
  const mount = state.mounts.find((candidate) => candidate.destination === inputPath);
  if (mount?.type !== "bind") {
    return {
      status: "fail",
      message: mount
        ? `${who} has a ${mount.type} mounted at ${inputPath}, not a file of your machine.`
        : `${who} has nothing mounted at ${inputPath}.`,
      measured: mount ? `${mount.type} ${mount.source}` : null,
      hint: `Bind-mount the file with -v <absolute path of input>:${inputPath}:ro. ${rerun}`,
    };
  }
  if (existsSync(mount.source) && statSync(mount.source).isDirectory()) {
    return {
      status: "fail",
      message: `${who} mounts the directory ${mount.source} at ${inputPath}, not a file (docker run -v creates a directory when the host path does not exist yet).`,
      measured: mount.source,
      hint: `Stop the container, remove that directory, create the file (echo "hello world" > ${relative(process.cwd(), mount.source) || mount.source}) and start it again:\n${commands}`,
    };
  }
  let hostContent: string;
  try {
    hostContent = readFileSync(mount.source, "utf8");
  } catch (error) {
    return {
      status: "fail",
      message: `${who} mounts ${mount.source}, which the checker cannot read here: ${(error as Error).message}`,
      measured: mount.source,
    };
  }
  let answer: Awaited<ReturnType<typeof fetchText>>;
  try {
    answer = await fetchText(`http://127.0.0.1:${hostPort}/`, 3000);
  } catch (error) {
    return {
      status: "fail",
      message: `${who} is set up right, but localhost:${hostPort} did not answer (${networkFailure(error)}).`,
      measured: null,
      hint: `Look at its log: docker logs ${state.name}`,
    };
  }
  if (answer.status === 200 && answer.body === hostContent) {
    return {
      status: "pass",
      message: `${who}: ${hostPort}->${port}, ${mount.source} at ${inputPath}, localhost:${hostPort} serves its content ${quote(answer.body)}`,
      measured: answer.body,
    };
  }
  return {
    status: "fail",
    message: `localhost:${hostPort} answered ${describeAnswer(answer)}, but ${mount.source} contains ${quote(hostContent)}. If the file was saved by an editor that replaces it, the container still sees the old one.`,
    measured: answer.body,
  };
}

function publishes(container: ContainerSummary, hostPort: number): boolean {
  return container.ports.some((mapping) => new RegExp(`:${hostPort}->`).test(mapping));
}

function runsImage(container: ContainerSummary, image: string): boolean {
  return splitReference(container.image).repo === image;
}
