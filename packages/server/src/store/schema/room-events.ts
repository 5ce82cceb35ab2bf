export const roomEventsTable = "room_events";
/**
 * A room's ordered log: MLS commits (handshake) and application messages, as opaque bytes.
 * Devices catch up by sequence number.
 */
export interface RoomEventsTable {
  room_id: string;
  seq: number;
  kind: "commit" | "message";
  /** The epoch the message was built in (for a commit: the epoch it moves on from). */
  epoch: number;
  sender_device_id: string;
  /** Chosen by the sender's client: a retry with the same id is the same message. */
  client_id: string;
  data: string;
  created_at: number;
  expires_at: number | null;
}

export const welcomesTable = "welcomes";
/** An MLS Welcome addressed to one device, kept until that device has taken it. */
export interface WelcomesTable {
  id: string;
  room_id: string;
  device_id: string;
  data: string;
  created_at: number;
}
