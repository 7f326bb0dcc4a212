/**
 * The images a shell step names literally in `docker run|create|pull` commands. Words holding a
 * variable ($digest, $BCT_LABELS) or a placeholder are not image references and are skipped.
 */
export function imagesInShellScript(script: string): string[] {
  const images: string[] = [];
  for (const command of simpleCommands(script)) {
    const image = imageOfDockerCommand(command);
    if (image && !images.includes(image)) images.push(image);
  }
  return images;
}

/** Flags of docker run/create/pull that take no value; every other flag without "=" consumes the next word. */
const BOOLEAN_FLAGS = new Set([
  "--detach",
  "--rm",
  "--interactive",
  "--tty",
  "--init",
  "--privileged",
  "--read-only",
  "--publish-all",
  "--no-healthcheck",
  "--oom-kill-disable",
  "--quiet",
  "--all-tags",
  "--disable-content-trust",
  "--sig-proxy",
  "--use-api-socket",
]);
const BOOLEAN_SHORT_CLUSTER = /^-[ditPqa]+$/;

function imageOfDockerCommand(words: string[]): string | undefined {
  const dockerAt = words.indexOf("docker");
  if (dockerAt < 0) return undefined;
  let index = dockerAt + 1;
  if (words[index] === "container" || words[index] === "image") index++;
  const subcommand = words[index];
  if (subcommand !== "run" && subcommand !== "create" && subcommand !== "pull") return undefined;
  for (index++; index < words.length; index++) {
    const word = words[index] ?? "";
    if (word.startsWith("$")) continue;
    if (!word.startsWith("-")) return isLiteralReference(word) ? word : undefined;
    if (word.includes("=") || BOOLEAN_FLAGS.has(word) || BOOLEAN_SHORT_CLUSTER.test(word)) continue;
    index++;
  }
  return undefined;
}

function isLiteralReference(word: string): boolean {
  return /^[a-z0-9][a-z0-9._\-/:@]*$/.test(word);
}

/** Splits a script into simple commands (lines, ;, &&, ||, |, subshell parentheses) of shell words. */
function simpleCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let quote: "'" | '"' | undefined;
  let hasWord = false;
  const endWord = () => {
    if (hasWord) words.push(word);
    word = "";
    hasWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const text = script.replace(/\\\n/g, " ");
  for (let index = 0; index < text.length; index++) {
    const character = text[index] ?? "";
    if (quote) {
      if (character === quote) quote = undefined;
      else word += character;
      continue;
    }
    if (character === "'" || character === '"') {
      quote = character;
      hasWord = true;
    } else if (character === "#" && !hasWord) {
      while (index < text.length && text[index] !== "\n") index++;
      endCommand();
    } else if (/[\n;&|(){}]/.test(character)) {
      endCommand();
    } else if (/\s/.test(character)) {
      endWord();
    } else {
      word += character;
      hasWord = true;
    }
  }
  endCommand();
  return commands;
}
