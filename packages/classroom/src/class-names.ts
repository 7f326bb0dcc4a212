import { ClassError } from "./class-state.ts";

export const MAX_NAME_LENGTH = 40;

/** Characters that draw nothing although Unicode calls them letters or symbols. */
const BLANK_LOOKING = /[\u115F\u1160\u17B4\u17B5\u2800\u3164\uFFA0\u{1D159}\u{1D173}-\u{1D17A}]/u;
/** What a name may hold: letters, marks, digits, punctuation, symbols and emoji (with their joiners), spaces. */
const ALLOWED = /^(?:[\p{L}\p{M}\p{N}\p{P}\p{S} ]|\p{Extended_Pictographic}|\p{Emoji_Component})+$/u;
const VISIBLE = /[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
/** A joiner only between two emoji (optionally with a variation selector or skin tone before it). */
const LOOSE_JOINER =
  /(?<!\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/u;

/**
 * A name as shown on the page: trimmed, spaces collapsed, 1-40 characters; letters, digits, marks,
 * signs and emoji, at least one of them visible. Control, format (but the joiner inside an emoji) and
 * blank-looking characters are refused, so every name is seen as it was typed.
 */
export function validName(raw: unknown): string {
  if (typeof raw !== "string") throw new ClassError(400, "name: a name is required.");
  const name = raw.normalize("NFC").trim().replace(/\s+/g, " ");
  if (name.length === 0) throw new ClassError(400, "name: must not be empty.");
  if ([...name].length > MAX_NAME_LENGTH)
    throw new ClassError(400, `name: at most ${MAX_NAME_LENGTH} characters.`);
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name.replace(/\u200D/g, "")) || LOOSE_JOINER.test(name))
    throw new ClassError(400, "name: control or invisible characters are not allowed.");
  if (BLANK_LOOKING.test(name) || !VISIBLE.test(name))
    throw new ClassError(
      400,
      "name: it must show at least one letter, digit or emoji, and nothing blank-looking.",
    );
  if (!ALLOWED.test(name)) throw new ClassError(400, "name: letters, digits, signs, emoji and spaces only.");
  return name;
}

/** A name from anywhere (a server could send anything), safe to write to a terminal. */
export function printableName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (character) =>
    character === "\u200D" ? character : `\\u{${character.codePointAt(0)!.toString(16)}}`,
  );
}
