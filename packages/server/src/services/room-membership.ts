/**
 * The history of a loop's member list along its log (recorded by triggers, see migration
 * 005-room-membership-log), for clients that check every commit against the list as it was at
 * that commit: a commit may add only devices of accounts in the list, remove only leaves of
 * accounts out of it, and come only from a member.
 */
import type { RoomMembership } from "@commune/protocol";
import type { AppContext } from "../context.ts";
import { memberRoom } from "./rooms.ts";
import type { Authenticated } from "./sessions.ts";

/**
 * Who was in the room after event `after`, and every change since. The history starts no earlier
 * than the caller's latest entry into the room (and than the history itself): a member learns
 * nothing of who was in a loop before they were.
 */
export async function roomMembership(ctx: AppContext, auth: Authenticated, roomId: string, after: number): Promise<RoomMembership> {
  const room = await memberRoom(ctx, auth, roomId);
  const rows = await ctx.db
    .selectFrom("room_membership_log")
    .select(["seq", "account_id", "added"])
    .where("room_id", "=", room.id)
    .orderBy("id")
    .execute();
  let entered = 0;
  for (const r of rows) if (r.account_id === auth.account.id && r.added === 1) entered = Number(r.seq);
  const base = Math.max(after, entered, Number(room.membership_log_from ?? 0));
  const members = new Set<string>();
  const changes: Array<{ seq: number; accountId: string; added: boolean }> = [];
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq > base) changes.push({ seq, accountId: r.account_id, added: r.added === 1 });
    else if (r.added === 1) members.add(r.account_id);
    else members.delete(r.account_id);
  }
  return { roomId: room.id, kind: room.kind, base, lastSeq: Number(room.last_seq), members: [...members].sort(), changes };
}
