/**
 * Loops as the server sees them: who is in each room (decided from organization roles and circle
 * membership), the room's MLS epoch, and an ordered log of opaque events. Content stays sealed.
 */
import {
  type CreateRoom,
  type MlsSuite,
  type Room,
  type RoomDetail,
  type RoomEvent,
  type SendMessage,
  type SubmitCommit,
  type UpdateRoom,
  type Welcome,
} from "@commune/protocol";
import type { Kysely } from "kysely";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { Database } from "../store/schema/index.ts";
import type { RoomEventsTable } from "../store/schema/room-events.ts";
import type { RoomsTable } from "../store/schema/rooms.ts";
import { requireDevice } from "./key-packages.ts";
import { access, loopSuite } from "./organizations.ts";
import type { Authenticated } from "./sessions.ts";

type RoomRow = RoomsTable & { organization_slug: string; member_count: number };

function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationSlug: row.organization_slug,
    circleId: row.circle_id,
    kind: row.kind,
    name: row.name,
    suite: row.suite as MlsSuite,
    epoch: Number(row.epoch),
    lastSeq: Number(row.last_seq),
    disappearingSeconds: row.disappearing_seconds,
    memberCount: Number(row.member_count),
    createdAt: Number(row.created_at),
  };
}

export function toEvent(row: RoomEventsTable): RoomEvent {
  return {
    roomId: row.room_id,
    seq: Number(row.seq),
    kind: row.kind,
    epoch: Number(row.epoch),
    senderDeviceId: row.sender_device_id,
    clientId: row.client_id,
    data: row.data,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}

function roomQuery(db: Kysely<Database>) {
  return db
    .selectFrom("rooms as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .selectAll("r")
    .select("o.slug as organization_slug")
    .select((eb) => eb.selectFrom("room_members as m").select(eb.fn.countAll<number>().as("n")).whereRef("m.room_id", "=", "r.id").as("member_count"));
}

/** The room, if the caller is in it; otherwise it does not exist for them. */
export async function memberRoom(ctx: AppContext, auth: Authenticated, roomId: string): Promise<RoomRow> {
  const row = await roomQuery(ctx.db)
    .where("r.id", "=", roomId)
    .where((eb) => eb.exists(eb.selectFrom("room_members as me").select("me.room_id").whereRef("me.room_id", "=", "r.id").where("me.account_id", "=", auth.account.id)))
    .executeTakeFirst();
  if (!row) throw new AppError("not_found", "No such loop.");
  return row as RoomRow;
}

export async function listRooms(ctx: AppContext, auth: Authenticated): Promise<Room[]> {
  const rows = await roomQuery(ctx.db)
    .where((eb) => eb.exists(eb.selectFrom("room_members as me").select("me.room_id").whereRef("me.room_id", "=", "r.id").where("me.account_id", "=", auth.account.id)))
    .orderBy("r.name")
    .execute();
  return rows.map((r) => toRoom(r as RoomRow));
}

export async function getRoom(ctx: AppContext, auth: Authenticated, roomId: string): Promise<RoomDetail> {
  const room = await memberRoom(ctx, auth, roomId);
  const rows = await ctx.db
    .selectFrom("room_members as m")
    .innerJoin("accounts as a", "a.id", "m.account_id")
    .leftJoin("devices as d", "d.account_id", "a.id")
    .select(["a.id as account_id", "a.username", "d.id as device_id", "d.public_key"])
    .where("m.room_id", "=", room.id)
    .orderBy("a.username_key")
    .execute();
  const members = new Map<string, { accountId: string; username: string; devices: { id: string; publicKey: string }[] }>();
  for (const r of rows) {
    let m = members.get(r.account_id);
    if (!m) members.set(r.account_id, (m = { accountId: r.account_id, username: r.username, devices: [] }));
    if (r.device_id && r.public_key) m.devices.push({ id: r.device_id, publicKey: r.public_key });
  }
  return { ...toRoom(room), members: [...members.values()], membershipVersion: Number(room.membership_version ?? 0) };
}

/**
 * Creates a room; its creator's device then makes the MLS group (epoch 0) and adds the others.
 * A circle's loop holds the circle's members; a group loop the members an organizer picks; a
 * direct loop two people of one organization.
 */
export async function createRoom(ctx: AppContext, auth: Authenticated, slug: string, input: CreateRoom): Promise<{ room: Room; accountIds: string[] }> {
  requireDevice(auth);
  const { org, role } = await access(ctx, slug, auth.account.id, "member");
  const now = ctx.now();
  let name: string;
  let circleId: string | null = null;
  let accountIds: string[];
  if (input.kind === "circle") {
    const circle = await ctx.db.selectFrom("circles").select(["id", "name"]).where("id", "=", input.circleId).where("organization_id", "=", org.id).executeTakeFirst();
    if (!circle) throw new AppError("not_found", "No such circle in this organization.");
    const members = await ctx.db.selectFrom("circle_members").select("account_id").where("circle_id", "=", circle.id).execute();
    accountIds = members.map((m) => m.account_id);
    if (role === "member" && !accountIds.includes(auth.account.id)) throw new AppError("forbidden", "Only the circle's members and organizers open its loop.");
    name = circle.name;
    circleId = circle.id;
  } else if (input.kind === "group") {
    if (role === "member") throw new AppError("forbidden", "Organizers create group loops.");
    accountIds = [...new Set(input.memberIds ?? [])];
    name = input.name;
  } else {
    if (input.accountId === auth.account.id) throw new AppError("validation_failed", "A direct loop needs someone else.");
    accountIds = [input.accountId];
    const other = await ctx.db.selectFrom("accounts").select("username").where("id", "=", input.accountId).executeTakeFirst();
    name = other?.username ?? "";
  }
  if (!accountIds.includes(auth.account.id)) accountIds.push(auth.account.id);
  // new loops use the organization's suite; a client that asks for another built for the wrong one
  const suite = loopSuite(org);
  if (input.suite !== undefined && input.suite !== suite) throw new AppError("conflict", "This organization's new loops use another cipher suite: create the loop without naming one.");
  const inOrg = await ctx.db.selectFrom("memberships").select("account_id").where("organization_id", "=", org.id).where("account_id", "in", accountIds).execute();
  if (inOrg.length !== accountIds.length) throw new AppError("not_found", "Some of these people are not members of the organization.");
  const row: RoomsTable = {
    id: newId(),
    organization_id: org.id,
    circle_id: circleId,
    kind: input.kind,
    name,
    suite,
    epoch: 0,
    last_seq: 0,
    disappearing_seconds: null,
    created_by: auth.account.id,
    created_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (circleId) {
      const existing = await trx.selectFrom("rooms").select("id").where("circle_id", "=", circleId).executeTakeFirst();
      if (existing) throw new AppError("conflict", "This circle already has its loop.");
    }
    if (input.kind === "direct") {
      const existing = await trx
        .selectFrom("rooms as r")
        .select("r.id")
        .where("r.organization_id", "=", org.id)
        .where("r.kind", "=", "direct")
        .where((eb) => eb.exists(eb.selectFrom("room_members as a").select("a.room_id").whereRef("a.room_id", "=", "r.id").where("a.account_id", "=", auth.account.id)))
        .where((eb) => eb.exists(eb.selectFrom("room_members as b").select("b.room_id").whereRef("b.room_id", "=", "r.id").where("b.account_id", "=", input.accountId)))
        .executeTakeFirst();
      if (existing) throw new AppError("conflict", "You already have a direct loop with this person.");
    }
    await trx.insertInto("rooms").values(row).execute();
    await trx.insertInto("room_members").values(accountIds.map((account_id) => ({ room_id: row.id, account_id, added_at: now }))).execute();
  });
  return { room: toRoom({ ...row, organization_slug: org.slug, member_count: accountIds.length }), accountIds };
}

export async function updateRoom(ctx: AppContext, auth: Authenticated, roomId: string, input: UpdateRoom): Promise<Room> {
  const room = await memberRoom(ctx, auth, roomId);
  const { role } = await access(ctx, room.organization_slug, auth.account.id, "member");
  if (room.kind !== "direct" && role === "member") throw new AppError("forbidden", "Organizers change a loop's settings.");
  const changes: Partial<RoomsTable> = {};
  if (input.name !== undefined && room.kind === "group") changes.name = input.name;
  if (input.disappearingSeconds !== undefined) changes.disappearing_seconds = input.disappearingSeconds;
  if (Object.keys(changes).length > 0) await ctx.db.updateTable("rooms").set(changes).where("id", "=", room.id).execute();
  return toRoom({ ...room, ...changes });
}

/** Organizers add people to a group loop; circle loops follow their circle. */
export async function addRoomMember(ctx: AppContext, auth: Authenticated, roomId: string, accountId: string): Promise<void> {
  const room = await memberRoom(ctx, auth, roomId);
  if (room.kind !== "group") throw new AppError("forbidden", "Circle loops follow their circle's membership; direct loops have two people.");
  await access(ctx, room.organization_slug, auth.account.id, "organizer");
  const member = await ctx.db.selectFrom("memberships").select("account_id").where("organization_id", "=", room.organization_id).where("account_id", "=", accountId).executeTakeFirst();
  if (!member) throw new AppError("not_found", "This person is not a member of the organization.");
  const already = await ctx.db.selectFrom("room_members").select("account_id").where("room_id", "=", room.id).where("account_id", "=", accountId).executeTakeFirst();
  if (!already) await ctx.db.insertInto("room_members").values({ room_id: room.id, account_id: accountId, added_at: ctx.now() }).execute();
}

/** Organizers remove people from a group loop; anyone leaves one. */
export async function removeRoomMember(ctx: AppContext, auth: Authenticated, roomId: string, accountId: string): Promise<void> {
  const room = await memberRoom(ctx, auth, roomId);
  if (accountId !== auth.account.id) {
    if (room.kind !== "group") throw new AppError("forbidden", "Circle loops follow their circle's membership.");
    await access(ctx, room.organization_slug, auth.account.id, "organizer");
  } else if (room.kind === "circle") {
    throw new AppError("forbidden", "Leave the circle to leave its loop.");
  }
  const result = await ctx.db.deleteFrom("room_members").where("room_id", "=", room.id).where("account_id", "=", accountId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new AppError("not_found", "This person is not in the loop.");
}

/**
 * Accepts exactly one commit per epoch: the first one built on the room's current epoch moves it
 * on; any other gets `epoch_conflict`, and its sender catches up and retries. Welcomes go only to
 * devices of the room's members — that is how organization roles decide who can be let in.
 */
export async function submitCommit(ctx: AppContext, auth: Authenticated, roomId: string, input: SubmitCommit): Promise<{ event: RoomEvent; welcomes: Array<{ deviceId: string; welcome: Welcome }> }> {
  const deviceId = requireDevice(auth);
  const room = await memberRoom(ctx, auth, roomId);
  const welcomes = input.welcome ? [...new Set(input.welcome.deviceIds)].map((deviceId) => ({ deviceId, data: input.welcome!.data })) : [];
  if (welcomes.length > 0) {
    const ids = welcomes.map((w) => w.deviceId);
    const allowed = await ctx.db
      .selectFrom("devices as d")
      .innerJoin("room_members as m", "m.account_id", "d.account_id")
      .select("d.id")
      .where("m.room_id", "=", room.id)
      .where("d.id", "in", ids)
      .execute();
    if (allowed.length !== ids.length) throw new AppError("forbidden", "Welcomes can only go to devices of the loop's members.");
  }
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const retry = await trx.selectFrom("room_events").selectAll().where("room_id", "=", room.id).where("sender_device_id", "=", deviceId).where("client_id", "=", input.id).executeTakeFirst();
    if (retry) return { event: toEvent(retry), welcomes: [] };
    const moved = await trx
      .updateTable("rooms")
      .set((eb) => ({ epoch: eb("epoch", "+", 1), last_seq: eb("last_seq", "+", 1) }))
      .where("id", "=", room.id)
      .where("epoch", "=", input.epoch)
      // a commit built from an older member list may add or remove the wrong people
      .$if(input.membershipVersion !== undefined, (qb) => qb.where("membership_version", "=", input.membershipVersion!))
      .returning(["last_seq"])
      .executeTakeFirst();
    if (!moved) throw new AppError("epoch_conflict", "Another commit was accepted for this epoch, or the member list changed since: fetch them, then build yours again.");
    const row: RoomEventsTable = {
      room_id: room.id,
      seq: Number(moved.last_seq),
      kind: "commit",
      epoch: input.epoch,
      sender_device_id: deviceId,
      client_id: input.id,
      data: input.data,
      created_at: now,
      expires_at: null,
    };
    await trx.insertInto("room_events").values(row).execute();
    const out: Array<{ deviceId: string; welcome: Welcome }> = [];
    for (const w of welcomes) {
      const welcome = { id: newId(), roomId: room.id, data: w.data, createdAt: now };
      await trx.insertInto("welcomes").values({ id: welcome.id, room_id: room.id, device_id: w.deviceId, data: w.data, created_at: now }).execute();
      out.push({ deviceId: w.deviceId, welcome });
    }
    return { event: toEvent(row), welcomes: out };
  });
}

/** Stores an application message once (a retry with the same id returns the stored one). */
export async function sendMessage(ctx: AppContext, auth: Authenticated, roomId: string, input: SendMessage): Promise<{ event: RoomEvent; fresh: boolean }> {
  const deviceId = requireDevice(auth);
  const room = await memberRoom(ctx, auth, roomId);
  if (input.epoch > Number(room.epoch)) throw new AppError("epoch_conflict", "This message names an epoch the loop has not reached.");
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const retry = await trx.selectFrom("room_events").selectAll().where("room_id", "=", room.id).where("sender_device_id", "=", deviceId).where("client_id", "=", input.id).executeTakeFirst();
    if (retry) return { event: toEvent(retry), fresh: false };
    const next = await trx
      .updateTable("rooms")
      .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
      .where("id", "=", room.id)
      .returning(["last_seq", "disappearing_seconds"])
      .executeTakeFirstOrThrow();
    const row: RoomEventsTable = {
      room_id: room.id,
      seq: Number(next.last_seq),
      kind: "message",
      epoch: input.epoch,
      sender_device_id: deviceId,
      client_id: input.id,
      data: input.data,
      created_at: now,
      expires_at: next.disappearing_seconds === null ? null : now + next.disappearing_seconds * 1000,
    };
    await trx.insertInto("room_events").values(row).execute();
    return { event: toEvent(row), fresh: true };
  });
}

export async function listEvents(ctx: AppContext, auth: Authenticated, roomId: string, after: number, limit: number): Promise<RoomEvent[]> {
  const room = await memberRoom(ctx, auth, roomId);
  const rows = await ctx.db
    .selectFrom("room_events")
    .selectAll()
    .where("room_id", "=", room.id)
    .where("seq", ">", after)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", ctx.now())]))
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

export async function pendingWelcomes(ctx: AppContext, auth: Authenticated): Promise<Welcome[]> {
  const deviceId = requireDevice(auth);
  const rows = await ctx.db.selectFrom("welcomes").selectAll().where("device_id", "=", deviceId).orderBy("created_at").execute();
  return rows.map((r) => ({ id: r.id, roomId: r.room_id, data: r.data, createdAt: Number(r.created_at) }));
}

export async function takeWelcome(ctx: AppContext, auth: Authenticated, welcomeId: string): Promise<void> {
  const deviceId = requireDevice(auth);
  const result = await ctx.db.deleteFrom("welcomes").where("id", "=", welcomeId).where("device_id", "=", deviceId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new AppError("not_found", "No such welcome.");
}

/** Deletes messages whose disappearing timer ran out; returns how many. */
export async function deleteExpiredEvents(ctx: AppContext): Promise<number> {
  const result = await ctx.db.deleteFrom("room_events").where("expires_at", "<=", ctx.now()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The rooms of an organization (or of one circle) an account is in: for removals. */
export async function roomsOf(db: Kysely<Database>, accountId: string, scope: { organizationId: string } | { circleId: string }): Promise<string[]> {
  let q = db.selectFrom("room_members as m").innerJoin("rooms as r", "r.id", "m.room_id").select("r.id").where("m.account_id", "=", accountId);
  q = "circleId" in scope ? q.where("r.circle_id", "=", scope.circleId) : q.where("r.organization_id", "=", scope.organizationId);
  return (await q.execute()).map((r) => r.id);
}
