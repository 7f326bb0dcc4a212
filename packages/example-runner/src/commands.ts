import { posix } from "node:path";
import { dockerRunArgv } from "@bct/engine";
import { toContainerSpec } from "./container-spec.ts";
import { joinArguments, type PlaceholderValues, quoteArgument, substitute } from "./placeholders.ts";
import { PLACEHOLDER, type Step } from "./schema.ts";

const KEEP_PLACEHOLDERS: PlaceholderValues = PLACEHOLDER;

/**
 * The command an attendee types for a step. With TRANSCRIPT_PLACEHOLDERS it is the deck's and the runner's
 * echo (typed in the example folder); with SCRIPT_PLACEHOLDERS it is a line of the `--print` script.
 */
export function stepCommand(step: Step, values: PlaceholderValues): string {
  const docker = (...argv: Array<string | false | undefined>) =>
    joinArguments(
      argv.filter((argument): argument is string => typeof argument === "string"),
      values,
    );
  switch (step.kind) {
    case "pull":
      return docker("docker", "pull", ...(step.platform ? ["--platform", step.platform] : []), step.image);
    case "build": {
      const argv = ["docker", "build", "-t", step.tag];
      if (step.dockerfile && step.dockerfile !== "Dockerfile")
        argv.push("-f", joinPath(step.context, step.dockerfile));
      for (const [key, value] of Object.entries(step.buildArgs ?? {}))
        argv.push("--build-arg", `${key}=${value}`);
      if (step.target) argv.push("--target", step.target);
      argv.push(step.context);
      return docker(...argv);
    }
    case "run":
      return docker(
        ...dockerRunArgv(toContainerSpec(step, KEEP_PLACEHOLDERS), { detach: step.detach, remove: step.rm }),
      );
    case "stop":
    case "start":
      return docker("docker", step.kind, step.container);
    case "kill":
      return docker("docker", "kill", ...(step.signal ? ["--signal", step.signal] : []), step.container);
    case "rm":
      return docker("docker", "rm", step.force && "-f", step.container);
    case "ps":
      return docker("docker", "ps", step.all && "-a");
    case "exec": {
      const argv = ["docker", "exec"];
      if (step.user) argv.push("--user", step.user);
      for (const [key, value] of Object.entries(step.env ?? {})) argv.push("--env", `${key}=${value}`);
      if (step.workdir) argv.push("--workdir", step.workdir);
      return docker(...argv, step.container, ...step.command);
    }
    case "logs":
      return docker("docker", "logs", step.container);
    case "http":
      return docker("curl", "-sS", step.url);
    case "write-file":
      return writeFileCommand(workdirPath(step.path, values), step.content);
    case "check-file":
      return `cat ${workdirPath(step.path, values)}`;
    case "inspect-image": {
      const images = [step.image, ...(step.expect.relativeTo ? [step.expect.relativeTo.image] : [])];
      if (step.expect.platform || step.expect.user) {
        return docker(
          "docker",
          "image",
          "inspect",
          "--format",
          "{{.Os}}/{{.Architecture}} {{.Size}} user={{.Config.User}}",
          ...images,
        );
      }
      return docker(
        "docker",
        "image",
        "ls",
        ...images.flatMap((image) => ["--filter", `reference=${image}`]),
      );
    }
    case "network-create":
      return docker(
        "docker",
        "network",
        "create",
        ...(step.driver ? ["--driver", step.driver] : []),
        step.name,
      );
    case "network-rm":
      return docker("docker", "network", "rm", step.name);
    case "volume-create":
      return docker("docker", "volume", "create", step.name);
    case "volume-rm":
      return docker("docker", "volume", "rm", step.name);
    case "volume-inspect":
      return docker("docker", "volume", "inspect", step.name);
    case "tag":
      return docker("docker", "tag", step.source, step.target);
    case "push":
      return docker("docker", "push", step.image);
    case "rmi":
      return docker("docker", "rmi", step.image);
    case "shell":
      return shellScriptText(step.script, values);
  }
}

/** A shell step's script as shown: placeholders replaced; in the deck the kit's $BCT_LABELS is left out. */
export function shellScriptText(script: string, values: PlaceholderValues): string {
  const text = substitute(script, values).replace(/\n+$/, "");
  if (values.workdir === "$WORKDIR") return text;
  return text.replace(/ ?(\$BCT_LABELS|\$\{BCT_LABELS\}|"\$BCT_LABELS")/g, "");
}

/** Where a write-file/check-file path lives: relative to the folder in the deck, under $WORKDIR in the script. */
function workdirPath(path: string, values: PlaceholderValues): string {
  if (values.workdir === "$PWD") return quoteArgument(path, values);
  return quoteArgument(`{{workdir}}/${path}`, values);
}

function writeFileCommand(target: string, content: string): string {
  if (!content.endsWith("\n"))
    return `printf '%s' ${quoteArgument(content, { workdir: "", example: "" })} > ${target}`;
  let delimiter = "EOF";
  while (content.split("\n").includes(delimiter)) delimiter += "_";
  return `cat > ${target} <<'${delimiter}'\n${content}${delimiter}`;
}

function joinPath(context: string, file: string): string {
  return context === "." ? file : posix.normalize(`${context.replace(/\/$/, "")}/${file}`);
}
