import { type PlaceholderValues, quoteArgument } from "../placeholders.ts";

/** Where a write-file/check-file path lives: relative to the folder in the deck, under $WORKDIR in the script. */
export function workdirPath(path: string, values: PlaceholderValues): string {
  if (values.workdir === "$PWD") return quoteArgument(path, values);
  return quoteArgument(`{{workdir}}/${path}`, values);
}
