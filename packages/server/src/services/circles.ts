import type { Circle, CircleDetail, CreateCircle, UpdateCircle } from "@commune/protocol";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { CirclesTable } from "../store/schema/circles.ts";
import { recordAudit } from "./audit.ts";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema/index.ts";
import { access, announceAddition, announceRemoval } from "./organizations.ts";
import { roomsOf } from "./rooms.ts";
import type { Authenticated } from "./sessions.ts";

const MAX_CIRCLES = 500;

export async function listCircles(ctx: AppContext, auth: Authenticated, slug: string): Promise<Circle[]> {
  const { org } = await access(ctx, slug, auth.account.id, "member");
  const rows = await ctx.db
    .selectFrom("circles as c")
    .selectAll("c")
    .select((eb) => [
      eb.selectFrom("circle_members as m").select(eb.fn.countAll<number>().as("n")).whereRef("m.circle_id", "=", "c.id").as("member_count"),
      eb
        .selectFrom("circle_members as me")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("me.circle_id", "=", "c.id")
        .where("me.account_id", "=", auth.account.id)
        .as("is_member"),
    ])
    .where("c.organization_id", "=", org.id)
    .orderBy("c.name")
    .execute();
  return rows.map((r) => toCircle(r, Number(r.member_count), Number(r.is_member) > 0));
}

function toCircle(row: CirclesTable, memberCount: number, isMember: boolean): Circle {
  return { id: row.id, name: row.name, description: row.description, memberCount, isMember, createdAt: Number(row.created_at) };
}

async function findCircle(ctx: AppContext, organizationId: string, circleId: string): Promise<CirclesTable> {
  const circle = await ctx.db.selectFrom("circles").selectAll().where("id", "=", circleId).where("organization_id", "=", organizationId).executeTakeFirst();
  if (!circle) throw new AppError("not_found", "No such circle in this organization.");
  return circle;
}

export async function getCircle(ctx: AppContext, auth: Authenticated, slug: string, circleId: string): Promise<CircleDetail> {
  const { org } = await access(ctx, slug, auth.account.id, "member");
  const circle = await findCircle(ctx, org.id, circleId);
  const members = await ctx.db
    .selectFrom("circle_members as m")
    .innerJoin("accounts as a", "a.id", "m.account_id")
    .select(["a.id", "a.username", "m.added_at"])
    .where("m.circle_id", "=", circle.id)
    .orderBy("a.username_key")
    .execute();
  return {
    ...toCircle(circle, members.length, members.some((m) => m.id === auth.account.id)),
    members: members.map((m) => ({ accountId: m.id, username: m.username, addedAt: Number(m.added_at) })),
  };
}

export async function createCircle(ctx: AppContext, auth: Authenticated, slug: string, input: CreateCircle): Promise<Circle> {
  const { org } = await access(ctx, slug, auth.account.id, "organizer");
  const now = ctx.now();
  const row: CirclesTable = { id: newId(), organization_id: org.id, name: input.name, description: input.description ?? "", created_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom("circles").select((eb) => eb.fn.countAll<number>().as("n")).where("organization_id", "=", org.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_CIRCLES) throw new AppError("conflict", `An organization can have at most ${MAX_CIRCLES} circles.`);
    await trx.insertInto("circles").values(row).execute();
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "circle.created", subjectId: row.id, details: { name: row.name } });
  });
  return toCircle(row, 0, false);
}

export async function updateCircle(ctx: AppContext, auth: Authenticated, slug: string, circleId: string, input: UpdateCircle): Promise<Circle> {
  const { org } = await access(ctx, slug, auth.account.id, "organizer");
  const circle = await findCircle(ctx, org.id, circleId);
  const changes: Partial<CirclesTable> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  const now = ctx.now();
  if (Object.keys(changes).length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable("circles").set(changes).where("id", "=", circle.id).execute();
      await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "circle.updated", subjectId: circle.id, details: { fields: Object.keys(changes).join(",") } });
    });
  }
  const detail = await getCircle(ctx, auth, slug, circle.id);
  const { members: _members, ...summary } = detail;
  return summary;
}

export async function deleteCircle(ctx: AppContext, auth: Authenticated, slug: string, circleId: string): Promise<void> {
  const { org } = await access(ctx, slug, auth.account.id, "organizer");
  const circle = await findCircle(ctx, org.id, circleId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("circles").where("id", "=", circle.id).execute();
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "circle.deleted", details: { name: circle.name } });
  });
}

export async function addToCircle(ctx: AppContext, auth: Authenticated, slug: string, circleId: string, accountId: string): Promise<void> {
  const { org } = await access(ctx, slug, auth.account.id, "organizer");
  const circle = await findCircle(ctx, org.id, circleId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom("memberships").select("account_id").where("organization_id", "=", org.id).where("account_id", "=", accountId).executeTakeFirst();
    if (!member) throw new AppError("not_found", "This person is not a member of the organization.");
    const already = await trx.selectFrom("circle_members").select("account_id").where("circle_id", "=", circle.id).where("account_id", "=", accountId).executeTakeFirst();
    if (already) return;
    await trx.insertInto("circle_members").values({ circle_id: circle.id, account_id: accountId, added_at: now }).execute();
    await joinCircleLoop(trx, circle.id, accountId, now);
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "circle.member_added", subjectId: accountId, details: { circle: circle.name } });
  });
  const loop = await circleLoop(ctx.db, circle.id);
  if (loop) await announceAddition(ctx, [loop], accountId);
}

async function circleLoop(db: Kysely<Database>, circleId: string): Promise<string | null> {
  return (await db.selectFrom("rooms").select("id").where("circle_id", "=", circleId).executeTakeFirst())?.id ?? null;
}

/** A circle's loop holds the circle's members: joining the circle puts one in its loop. */
export async function joinCircleLoop(trx: Kysely<Database>, circleId: string, accountId: string, now: number): Promise<void> {
  const loop = await circleLoop(trx, circleId);
  if (!loop) return;
  const already = await trx.selectFrom("room_members").select("account_id").where("room_id", "=", loop).where("account_id", "=", accountId).executeTakeFirst();
  if (!already) await trx.insertInto("room_members").values({ room_id: loop, account_id: accountId, added_at: now }).execute();
}

/** Organizers and admins remove anyone from a circle; members remove themselves. */
export async function removeFromCircle(ctx: AppContext, auth: Authenticated, slug: string, circleId: string, accountId: string): Promise<void> {
  const self = accountId === auth.account.id;
  const { org } = await access(ctx, slug, auth.account.id, self ? "member" : "organizer");
  const circle = await findCircle(ctx, org.id, circleId);
  const now = ctx.now();
  const rooms = await ctx.db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("circle_members").where("circle_id", "=", circle.id).where("account_id", "=", accountId).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new AppError("not_found", "This person is not in the circle.");
    const loops = await roomsOf(trx, accountId, { circleId: circle.id });
    if (loops.length > 0) await trx.deleteFrom("room_members").where("account_id", "=", accountId).where("room_id", "in", loops).execute();
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "circle.member_removed", subjectId: accountId, details: { circle: circle.name } });
    return loops;
  });
  await announceRemoval(ctx, rooms, accountId);
}
