/**
 * `@username` mentions in a loop's text. The server never sees the text, so mentions are found on
 * each device: to highlight them, and to count a mention of oneself apart in the unread badge.
 * Usernames are letters, marks, digits and `_ . -`, never starting or ending with punctuation (see
 * @commune/protocol usernames.ts); a mention is `@` and such a name, not glued to a word before it
 * (so an e-mail address is not a mention), compared in the usernames' normal form.
 */
import { normalizeUsername } from "@commune/protocol";

const MENTION = /(?<![\p{L}\p{M}\p{Nd}_.@-])@([\p{L}\p{M}\p{Nd}](?:[\p{L}\p{M}\p{Nd}_.-]*[\p{L}\p{M}\p{Nd}])?)/gu;

/** A piece of a message's text: plain, or a mention of a known username. */
export type TextPart = { readonly text: string; readonly mention?: undefined } | { readonly text: string; readonly mention: string };

/** The normalized names a text mentions, in order, without repeats. */
export function mentionedNames(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(MENTION)) out.add(normalizeUsername(match[1]!));
  return [...out];
}

/** Whether the text mentions this username. */
export function mentions(text: string, username: string): boolean {
  const wanted = normalizeUsername(username);
  return mentionedNames(text).includes(wanted);
}

/**
 * Splits a text into plain parts and mentions of the given usernames (others stay plain text).
 * A mention part keeps the text as written and carries the username it matched.
 */
export function splitMentions(text: string, usernames: Iterable<string>): TextPart[] {
  const known = new Map<string, string>();
  for (const name of usernames) known.set(normalizeUsername(name), name);
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(MENTION)) {
    const username = known.get(normalizeUsername(match[1]!));
    if (!username) continue;
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    parts.push({ text: match[0], mention: username });
    at = match.index + match[0].length;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at) });
  return parts;
}

/**
 * The mention being typed just before the caret, for suggestions: where its `@` is and what
 * follows it so far (possibly ""). Null when the caret is not in a mention.
 */
export function mentionAtCaret(text: string, caret: number): { readonly start: number; readonly query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?<![\p{L}\p{M}\p{Nd}_.@-])@([\p{L}\p{M}\p{Nd}_.-]{0,32})$/u.exec(before);
  return match ? { start: match.index, query: match[1]! } : null;
}
