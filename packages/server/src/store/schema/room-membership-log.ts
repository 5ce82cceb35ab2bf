import type { Generated } from "kysely";

export const roomMembershipLogTable = "room_membership_log";
/**
 * Who entered and left each loop, in the order of its event log: written by database triggers on
 * `room_members` (migration 005-room-membership-log), read by clients to check commits against
 * the member list as it was at each commit.
 */
export interface RoomMembershipLogTable {
  /** Generated: the order of the changes. */
  id: Generated<number>;
  room_id: string;
  /** The room's `last_seq` when the change happened: it sits between event `seq` and `seq + 1`. */
  seq: number;
  account_id: string;
  /** 1 when the account entered the loop, 0 when it left. */
  added: number;
}
