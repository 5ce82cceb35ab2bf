/**
 * What this device has read in each loop, and what it has not. The server cannot count unread
 * messages (it sees ciphertext, and cannot tell a reaction from a message or spot a mention), so the
 * device counts them from its own history and a last-read marker it keeps beside it.
 */
import type { LoopMessage } from "./engine.ts";
import type { LoopStore } from "./loop-store.ts";
import { mentions } from "./mentions.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const readKey = (roomId: string) => `read:${roomId}`;

/** Badges stop counting here ("99+"): reading more of the history for a bigger number helps no one. */
export const UNREAD_CAP = 99;

export interface UnreadSummary {
  /** Messages from others after the last-read marker (texts and files; not reactions or edits). */
  readonly count: number;
  /** How many of them mention this person by `@username`. */
  readonly mentions: number;
}

/** The seq of the last message read in a room on this device (0 when none). */
export async function lastRead(store: LoopStore, roomId: string): Promise<number> {
  const bytes = await store.get(readKey(roomId));
  const value = bytes ? Number(decoder.decode(bytes)) : 0;
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** Moves the marker forward to `seq` (never back). Returns whether it moved. */
export async function markRead(store: LoopStore, roomId: string, seq: number): Promise<boolean> {
  if (!Number.isSafeInteger(seq) || seq <= (await lastRead(store, roomId))) return false;
  await store.set(readKey(roomId), encoder.encode(String(seq)));
  return true;
}

/**
 * Counts what came in after the marker: one key scan of the room's history, then only the
 * messages after the marker are read (at most UNREAD_CAP + 1 of them). Expired messages do not count.
 */
export async function unreadSummary(store: LoopStore, roomId: string, me: { readonly accountId: string; readonly username: string }, now: number = Date.now()): Promise<UnreadSummary> {
  const after = await lastRead(store, roomId);
  const prefix = `msg:${roomId}:`;
  const keys = (await store.keys(prefix)).filter((k) => Number(k.slice(prefix.length)) > after).sort();
  let count = 0;
  let mentioned = 0;
  for (const key of keys) {
    if (count > UNREAD_CAP) break;
    const bytes = await store.get(key);
    if (!bytes) continue;
    const message = JSON.parse(decoder.decode(bytes)) as LoopMessage;
    if (message.own || message.senderAccountId === me.accountId) continue;
    if (typeof message.expiresAt === "number" && message.expiresAt <= now) continue;
    const c = message.content;
    if (c.type !== "text" && c.type !== "file") continue;
    count++;
    const text = c.type === "text" ? c.body : (c.caption ?? "");
    if (mentions(text, me.username)) mentioned++;
  }
  return { count, mentions: mentioned };
}
