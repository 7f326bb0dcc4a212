import { parseDockerfile } from "@bct/dockerfile";

/**
 * The images a Dockerfile pulls in: its FROM lines and COPY --from=<image>, with ARG defaults and
 * build arguments resolved. Stage names, stage indexes and `scratch` are not images.
 */
export function imagesOfDockerfile(text: string, buildArgs: Record<string, string> = {}): string[] {
  const parsed = parseDockerfile(text);
  if (!parsed.ok) {
    const problems = parsed.problems.map((problem) => `line ${problem.line}: ${problem.message}`);
    throw new Error(`The Dockerfile does not parse: ${problems.join("; ")}`);
  }
  const { globalArgs, stages } = parsed.dockerfile;
  const defaults = new Map<string, string | undefined>();
  for (const arg of globalArgs) {
    for (const declaration of arg.rest.split(/\s+/)) {
      const [name = "", ...value] = declaration.split("=");
      defaults.set(name, value.length > 0 ? unquote(value.join("=")) : undefined);
    }
  }
  const resolve = (word: string) =>
    substituteVariables(word, (name) => buildArgs[name] ?? defaults.get(name));
  const stageNames = new Set(stages.flatMap((stage) => (stage.name ? [stage.name.toLowerCase()] : [])));
  const images: string[] = [];
  const addImage = (ref: string) => {
    const isStage = stageNames.has(ref.toLowerCase()) || /^[0-9]+$/.test(ref);
    if (ref === "" || ref.toLowerCase() === "scratch" || isStage || images.includes(ref)) return;
    images.push(ref);
  };
  for (const stage of stages) {
    addImage(resolve(stage.base));
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== "COPY" && instruction.keyword !== "ADD") continue;
      const from = instruction.flags.find((flag) => flag.name === "from")?.value;
      if (from) addImage(resolve(from));
    }
  }
  return images;
}

/** ${NAME}, $NAME, ${NAME:-default} and ${NAME:+alternative}, as the Dockerfile frontend expands them. */
export function substituteVariables(word: string, lookup: (name: string) => string | undefined): string {
  return word.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, operator: string | undefined, operand: string | undefined, bare) => {
      const name = braced ?? (bare as string);
      const value = lookup(name);
      if (operator === "-") return value ? value : (operand ?? "");
      if (operator === "+") return value ? (operand ?? "") : "";
      return value ?? whole;
    },
  );
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? "") : value;
}
