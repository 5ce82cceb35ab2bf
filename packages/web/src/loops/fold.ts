/**
 * A loop's log as people read it: reactions, edits and deletions are later messages that refer to
 * earlier ones by seq; folding them onto what they refer to gives the conversation on screen.
 * Only a message's own sender can edit or delete it.
 */
import type { LoopContent, LoopMessage } from "@commune/client";

export type FileContent = Extract<LoopContent, { type: "file" }>;

export interface ShownMessage {
  readonly seq: number;
  readonly senderAccountId: string;
  readonly own: boolean;
  readonly createdAt: number;
  /** The text as last edited; "" for a deleted message. */
  readonly body: string;
  readonly file: FileContent | null;
  readonly edited: boolean;
  readonly deleted: boolean;
  readonly replyTo: number | null;
  /** Emoji → accounts that reacted with it, in the order they first did. */
  readonly reactions: ReadonlyMap<string, readonly string[]>;
}

interface Draft {
  seq: number;
  senderAccountId: string;
  own: boolean;
  createdAt: number;
  body: string;
  file: FileContent | null;
  edited: boolean;
  deleted: boolean;
  replyTo: number | null;
  reactions: Map<string, string[]>;
}

export function fold(log: readonly LoopMessage[]): ShownMessage[] {
  const sorted = [...log].sort((a, b) => a.seq - b.seq);
  const bySeq = new Map<number, Draft>();
  const out: Draft[] = [];
  for (const m of sorted) {
    const c = m.content;
    if (c.type === "text" || c.type === "file") {
      if (bySeq.has(m.seq)) continue;
      const draft: Draft = {
        seq: m.seq,
        senderAccountId: m.senderAccountId,
        own: m.own,
        createdAt: m.createdAt,
        body: c.type === "text" ? c.body : (c.caption ?? ""),
        file: c.type === "file" ? c : null,
        edited: false,
        deleted: false,
        replyTo: c.type === "text" && typeof c.replyTo === "number" ? c.replyTo : null,
        reactions: new Map(),
      };
      bySeq.set(m.seq, draft);
      out.push(draft);
      continue;
    }
    const target = bySeq.get(c.type === "reaction" ? c.to : c.of);
    if (!target || target.deleted) continue;
    if (c.type === "reaction") {
      const who = target.reactions.get(c.emoji) ?? [];
      if (!who.includes(m.senderAccountId)) target.reactions.set(c.emoji, [...who, m.senderAccountId]);
    } else if (target.senderAccountId !== m.senderAccountId) {
      continue; // only the sender edits or deletes their message
    } else if (c.type === "edit") {
      target.body = c.body;
      target.edited = true;
    } else {
      target.deleted = true;
      target.body = "";
      target.file = null;
      target.reactions = new Map();
    }
  }
  return out;
}
