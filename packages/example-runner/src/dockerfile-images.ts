/**
 * The images a Dockerfile pulls in: its FROM lines and COPY --from=<image>, with ARG defaults and
 * build arguments resolved. Stage names, stage indexes and `scratch` are not images.
 */
export function imagesOfDockerfile(text: string, buildArgs: Record<string, string> = {}): string[] {
  const globalArgs = new Map<string, string | undefined>();
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;

  const resolve = (word: string) =>
    substituteVariables(word, (name) => buildArgs[name] ?? globalArgs.get(name));
  const addImage = (ref: string) => {
    if (
      ref === "" ||
      ref.toLowerCase() === "scratch" ||
      stages.has(ref.toLowerCase()) ||
      /^[0-9]+$/.test(ref)
    )
      return;
    if (!images.includes(ref)) images.push(ref);
  };

  for (const line of instructions(text)) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const instruction = keyword.toUpperCase();
    if (instruction === "ARG" && !seenFrom) {
      for (const declaration of rest) {
        const [name = "", ...value] = declaration.split("=");
        globalArgs.set(name, value.length > 0 ? unquote(value.join("=")) : undefined);
      }
    } else if (instruction === "FROM") {
      seenFrom = true;
      const words = rest.filter((word) => !word.startsWith("--"));
      const ref = resolve(words[0] ?? "");
      addImage(ref);
      if (words[1]?.toUpperCase() === "AS" && words[2]) stages.add(words[2].toLowerCase());
    } else if (instruction === "COPY" || instruction === "ADD") {
      for (const word of rest) {
        const from = /^--from=(.+)$/.exec(word)?.[1];
        if (from) addImage(resolve(from));
      }
    }
  }
  return images;
}

/** Instructions with comments and blank lines dropped and backslash continuations joined. */
function instructions(text: string): string[] {
  const result: string[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    if (current !== "" && line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== "") result.push(current.trim());
    current = "";
  }
  if (current.trim() !== "") result.push(current.trim());
  return result;
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
