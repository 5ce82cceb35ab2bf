/**
 * Loops (end-to-end encrypted rooms on MLS): request schemas, response types and realtime frames.
 * Every `data` field is an opaque MLS message in base64url; the server stores and forwards it.
 */
import { z } from "zod";

export const MLS_SUITES = ["MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", "MLS_256_XWING_AES256GCM_SHA512_Ed25519"] as const;
export type MlsSuite = (typeof MLS_SUITES)[number];
export const DEFAULT_MLS_SUITE: MlsSuite = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";

/** Disappearing-message timers a room may choose, in seconds (1 hour … 4 weeks). */
export const DISAPPEARING_MIN = 3600;
export const DISAPPEARING_MAX = 4 * 7 * 86_400;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const blob = (maxChars: number) => z.string().min(1).max(maxChars).regex(/^[A-Za-z0-9_-]+$/);
const name = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine((s) => !/[\p{Cc}\p{Cs}\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u.test(s), "control characters are not allowed");

export const PublishKeyPackages = z.strictObject({
  suite: z.enum(MLS_SUITES),
  packages: z.array(z.strictObject({ data: blob(32_768), lastResort: z.boolean().optional() })).min(1).max(100),
});
export type PublishKeyPackages = z.infer<typeof PublishKeyPackages>;

export const ClaimKeyPackages = z.strictObject({
  suite: z.enum(MLS_SUITES),
  accountIds: z.array(id).min(1).max(1000),
});
export type ClaimKeyPackages = z.infer<typeof ClaimKeyPackages>;

export const CreateRoom = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("circle"), circleId: id, suite: z.enum(MLS_SUITES).optional() }),
  z.strictObject({ kind: z.literal("group"), name, memberIds: z.array(id).max(1000).optional(), suite: z.enum(MLS_SUITES).optional() }),
  z.strictObject({ kind: z.literal("direct"), accountId: id, suite: z.enum(MLS_SUITES).optional() }),
]);
export type CreateRoom = z.infer<typeof CreateRoom>;

export const UpdateRoom = z.strictObject({
  name: name.optional(),
  disappearingSeconds: z.int().min(DISAPPEARING_MIN).max(DISAPPEARING_MAX).nullable().optional(),
});
export type UpdateRoom = z.infer<typeof UpdateRoom>;

/**
 * The largest commit or Welcome, in base64url characters (3 MB). Both grow with the group: a
 * Welcome carries the whole ratchet tree (~190 bytes per device with the default suite, ~1.4 kB
 * with X-Wing: 1.39 MB at 1,000 devices), and a commit in a tree without keys above its leaves
 * encrypts to every other device (X-Wing: 1.22 MB at 1,000). See docs/benchmarks.md § mls.
 */
export const COMMIT_DATA_MAX = 4_000_000;

export const SubmitCommit = z.strictObject({
  /** The epoch the commit was built on; it must be the room's current epoch. */
  epoch: z.int().min(0),
  /** A client-chosen id, so a retry after a lost answer is recognised. */
  id,
  data: blob(COMMIT_DATA_MAX),
  /**
   * The room's `membershipVersion` the commit was built from (RoomDetail): when given, the server
   * refuses the commit with `epoch_conflict` if the member list has changed since, so that what a
   * commit adds and removes always matches the list at its place in the log (see RoomMembership).
   */
  membershipVersion: z.int().min(0).optional(),
  /** One Welcome for every device the commit adds (each finds its own part in it). */
  welcome: z.strictObject({ deviceIds: z.array(id).min(1).max(5000), data: blob(COMMIT_DATA_MAX) }).optional(),
});
export type SubmitCommit = z.infer<typeof SubmitCommit>;

export const SendMessage = z.strictObject({
  /** A client-chosen id: sending again with the same id is the same message, stored once. */
  id,
  epoch: z.int().min(0),
  data: blob(1_400_000),
});
export type SendMessage = z.infer<typeof SendMessage>;

/**
 * The largest ephemeral payload, in base64url characters. A typing signal is one small MLS
 * application message (about 300 bytes); anything near this size is not a signal but abuse.
 */
export const EPHEMERAL_MAX_CHARS = 4096;

/**
 * A device's ephemeral frame on the realtime socket: an MLS application message (a typing
 * signal) that the server relays to the room's connected devices and never stores. It is as
 * opaque to the server as any message; only the frame says it is not to be kept.
 */
export const EphemeralFrame = z.strictObject({
  type: z.literal("ephemeral"),
  roomId: id,
  /** The epoch the message was encrypted in, so receivers at another epoch can drop it cheaply. */
  epoch: z.int().min(0),
  data: blob(EPHEMERAL_MAX_CHARS),
});
export type EphemeralFrame = z.infer<typeof EphemeralFrame>;

export const EventsQuery = z.strictObject({
  after: z.string().regex(/^\d{1,16}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export interface Room {
  readonly id: string;
  readonly organizationId: string;
  readonly organizationSlug: string;
  readonly circleId: string | null;
  readonly kind: "circle" | "group" | "direct";
  readonly name: string;
  readonly suite: MlsSuite;
  readonly epoch: number;
  readonly lastSeq: number;
  readonly disappearingSeconds: number | null;
  readonly memberCount: number;
  readonly createdAt: number;
}

export interface RoomMemberDevices {
  readonly accountId: string;
  readonly username: string;
  readonly devices: readonly { readonly id: string; readonly publicKey: string }[];
}

export interface RoomDetail extends Room {
  readonly members: readonly RoomMemberDevices[];
  /** Changes at every change of the member list; name it in SubmitCommit. */
  readonly membershipVersion: number;
}

export const MembershipQuery = z.strictObject({
  after: z.string().regex(/^\d{1,16}$/).optional(),
});

/**
 * Who was in a room along its log, for checking commits against the member list as it was at
 * each one: `members` were in the room just after event `base`; each change sits between event
 * `seq` and event `seq + 1`. The history starts no earlier than the caller's own (latest) entry
 * into the room, so nobody learns who was in it before them.
 */
export interface RoomMembership {
  readonly roomId: string;
  readonly kind: Room["kind"];
  readonly base: number;
  /** The room's last event when this was read: the changes before every event up to it are all here. */
  readonly lastSeq: number;
  readonly members: readonly string[];
  readonly changes: readonly { readonly seq: number; readonly accountId: string; readonly added: boolean }[];
}

export interface RoomEvent {
  readonly roomId: string;
  readonly seq: number;
  readonly kind: "commit" | "message";
  readonly epoch: number;
  readonly senderDeviceId: string;
  readonly clientId: string;
  readonly data: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

export interface Welcome {
  readonly id: string;
  readonly roomId: string;
  readonly data: string;
  readonly createdAt: number;
}

export interface ClaimedKeyPackage {
  readonly accountId: string;
  readonly deviceId: string;
  readonly data: string;
}

export interface ClaimResult {
  readonly packages: readonly ClaimedKeyPackage[];
  /** Devices that had no package for this suite: they cannot be added until they publish some. */
  readonly missing: readonly { readonly accountId: string; readonly deviceId: string }[];
}

export interface KeyPackageStock {
  readonly suite: MlsSuite;
  readonly count: number;
  readonly lastResort: boolean;
}

/** Frames the server sends on the realtime WebSocket. */
export type RealtimeFrame =
  | { readonly type: "ready"; readonly deviceId: string }
  | { readonly type: "event"; readonly event: RoomEvent }
  | { readonly type: "welcome"; readonly welcome: Welcome }
  | { readonly type: "room"; readonly roomId: string; readonly change: "added" | "removed" | "updated" }
  | { readonly type: "key-packages-low"; readonly suite: MlsSuite; readonly count: number }
  /** An ephemeral MLS message relayed from another device of the room; not in the room's log. */
  | { readonly type: "ephemeral"; readonly roomId: string; readonly senderDeviceId: string; readonly epoch: number; readonly data: string };
