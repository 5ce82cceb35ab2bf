/**
 * Usernames: what may be chosen, and the one normal form they are compared in.
 *
 * Look-alike names are a real attack on organizers ("admin" written with a Cyrillic "а"), so:
 * - the name is normalized (NFKC, case-folded) before any comparison;
 * - invisible, format and bidirectional control characters are refused outright;
 * - scripts may only be mixed the way real names mix them (UTS #39 "highly restrictive");
 * - the server also keeps each name's confusable skeleton unique (see the server's usernames module).
 */

export const USERNAME_MIN = 2;
export const USERNAME_MAX = 32;

export type UsernameProblem =
  | "too_short"
  | "too_long"
  | "invisible_or_control"
  | "bad_character"
  | "bad_edge"
  | "mixed_scripts";

/** NFKC, then case fold (lower-casing after compatibility decomposition), then NFKC again. */
export function normalizeUsername(raw: string): string {
  return raw.normalize("NFKC").toLowerCase().normalize("NFKC");
}

// Control, format (includes bidi controls and zero-width joiners), separators other than none,
// private use, unassigned and surrogates: never part of a name.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Z}\u115F\u1160\u3164\uFFA0\u034F\u17B4\u17B5\u180B-\u180F\uFE00-\uFE0F]/u;
const ALLOWED_CHAR = /^[\p{L}\p{M}\p{Nd}_.-]$/u;
const PUNCT = /^[_.-]$/u;

const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Devanagari", /\p{Script=Devanagari}/u],
  ["Bengali", /\p{Script=Bengali}/u],
  ["Tamil", /\p{Script=Tamil}/u],
  ["Thai", /\p{Script=Thai}/u],
  ["Georgian", /\p{Script=Georgian}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Ethiopic", /\p{Script=Ethiopic}/u],
  ["Hiragana", /\p{Script=Hiragana}/u],
  ["Katakana", /\p{Script=Katakana}/u],
  ["Han", /\p{Script=Han}/u],
  ["Bopomofo", /\p{Script=Bopomofo}/u],
];
const COMMON = /[\p{Script=Common}\p{Script=Inherited}]/u;

// The script sets UTS #39 "highly restrictive" accepts besides a single script.
const ALLOWED_MIXES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Bopomofo"]),
  new Set(["Latin", "Han", "Hangul"]),
];

function scriptOf(ch: string): string | null {
  if (COMMON.test(ch)) return null;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return `other:${ch.codePointAt(0)?.toString(16)}`;
}

/** Checks a normalized username; returns the first problem found or null when it is acceptable. */
export function usernameProblem(normalized: string): UsernameProblem | null {
  const chars = [...normalized];
  if (FORBIDDEN.test(normalized)) return "invisible_or_control";
  if (chars.length < USERNAME_MIN) return "too_short";
  if (chars.length > USERNAME_MAX) return "too_long";
  for (const ch of chars) if (!ALLOWED_CHAR.test(ch)) return "bad_character";
  if (PUNCT.test(chars[0]!) || PUNCT.test(chars[chars.length - 1]!)) return "bad_edge";
  if (/[_.-]{2}/u.test(normalized)) return "bad_edge";
  const scripts = new Set<string>();
  for (const ch of chars) {
    const s = scriptOf(ch);
    if (s) scripts.add(s);
  }
  if (scripts.size > 1 && !ALLOWED_MIXES.some((mix) => [...scripts].every((s) => mix.has(s)))) {
    return "mixed_scripts";
  }
  return null;
}
