export const roomsTable = "rooms";
/** A loop: one MLS group. The server knows who is in it (to deliver) and its epoch, never its content. */
export interface RoomsTable {
  id: string;
  organization_id: string;
  /** Set for a circle's own loop. */
  circle_id: string | null;
  kind: "circle" | "group" | "direct";
  name: string;
  suite: string;
  /** The epoch the next commit must be built on: one commit is accepted per epoch. */
  epoch: number;
  /** The last sequence number given to an event of this room. */
  last_seq: number;
  /** Messages disappear this many seconds after they are sent; null keeps them. */
  disappearing_seconds: number | null;
  /** Bumped by a trigger at every change of `room_members` (see room-membership-log.ts); optional on insert. */
  membership_version?: number;
  /** The log position where the membership history starts (later than 0 for rooms older than it); optional on insert. */
  membership_log_from?: number;
  created_by: string | null;
  created_at: number;
}

export const roomMembersTable = "room_members";
export interface RoomMembersTable {
  room_id: string;
  account_id: string;
  added_at: number;
}
