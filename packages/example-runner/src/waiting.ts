import type { Step } from "./schema.ts";

/**
 * What a step waits for and for how long at most, said once it has been waiting for a while, so that a
 * quiet step does not look stuck.
 */
export function waitingFor(step: Step): string {
  const upTo = (seconds: number | undefined, fallback: number) => ` (up to ${seconds ?? fallback} s)`;
  switch (step.kind) {
    case "http":
      return `waiting for ${step.url} to answer${upTo(step.timeoutSeconds, 30)}`;
    case "logs":
      return `waiting for the expected lines in the logs of ${step.container}${upTo(step.timeoutSeconds, 10)}`;
    case "build":
      return `waiting for the build${upTo(step.timeoutSeconds, 600)}`;
    case "run":
      return step.detach
        ? "waiting for docker to start the container"
        : `waiting for the container to exit${upTo(step.timeoutSeconds, 300)}`;
    case "shell":
      return `waiting for the commands to finish${upTo(step.timeoutSeconds, 300)}`;
    default:
      return "waiting for docker";
  }
}
