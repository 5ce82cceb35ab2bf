import { DEFAULT_MLS_SUITE, type CreateOrganization, type Language, type Member, type MlsSuite, type OrganizationSummary, type Role, type UpdateOrganization } from "@commune/protocol";
import { sql, type Kysely } from "kysely";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { Database } from "../store/schema/index.ts";
import type { OrganizationsTable } from "../store/schema/organizations.ts";
import { recordAudit } from "./audit.ts";
import { revokeGrantsOf } from "./organization-key-revocation.ts";
import { roomsOf } from "./rooms.ts";
import type { Authenticated } from "./sessions.ts";

export interface OrgAccess {
  readonly org: OrganizationsTable;
  readonly role: Role | null;
}

const RANK: Record<Role, number> = { member: 1, organizer: 2, admin: 3 };

export function toSummary(org: OrganizationsTable, role: Role | null, memberCount: number): OrganizationSummary {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    description: org.description,
    visibility: org.visibility,
    languages: JSON.parse(org.languages) as Language[],
    role,
    memberCount,
    createdAt: Number(org.created_at),
    loopSuite: loopSuite(org),
  };
}

/** The cipher suite of the organization's new loops. */
export function loopSuite(org: OrganizationsTable): MlsSuite {
  return (org.loop_suite ?? DEFAULT_MLS_SUITE) as MlsSuite;
}

/**
 * Finds an organization and the caller's role in it. A private organization is invisible (not
 * found) to non-members, so its existence is not disclosed; `minimum` demands at least that role.
 */
export async function access(ctx: AppContext, slug: string, accountId: string | null, minimum: Role | null = "member"): Promise<OrgAccess> {
  const org = await ctx.db.selectFrom("organizations").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!org) throw new AppError("not_found", "No such organization.");
  const membership = accountId
    ? await ctx.db
        .selectFrom("memberships")
        .select("role")
        .where("organization_id", "=", org.id)
        .where("account_id", "=", accountId)
        .executeTakeFirst()
    : undefined;
  const role = membership?.role ?? null;
  if (!role && org.visibility === "private") throw new AppError("not_found", "No such organization.");
  if (minimum && (!role || RANK[role] < RANK[minimum])) {
    throw new AppError("forbidden", role ? `This needs the ${minimum} role in this organization.` : "Only members of this organization can do this.");
  }
  return { org, role };
}

export async function memberCount(db: Kysely<Database>, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organization_id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Serializes changes to one organization's membership: on PostgreSQL by locking its row, so two
 * admins demoting each other at once cannot leave it without an admin. SQLite runs one writer
 * at a time already.
 */
export async function lockOrganization(trx: Kysely<Database>, ctx: AppContext, organizationId: string): Promise<void> {
  if (ctx.store.dialect === "postgres") {
    await trx.selectFrom("organizations").select("id").where("id", "=", organizationId).forUpdate().execute();
  }
}

export async function adminCount(db: Kysely<Database>, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organization_id", "=", organizationId)
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

export async function createOrganization(ctx: AppContext, auth: Authenticated, input: CreateOrganization): Promise<OrganizationSummary> {
  if (ctx.config.organizationCreation === "admins" && !auth.account.instance_admin) {
    throw new AppError("forbidden", "On this instance only its administrators create organizations.");
  }
  const now = ctx.now();
  const base = input.slug ?? (slugify(input.name) || `org-${newId().slice(0, 6).toLowerCase().replace(/[^a-z0-9]/g, "x")}`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${attempt + 1}`;
    const org: OrganizationsTable = {
      id: newId(),
      slug,
      name: input.name,
      description: input.description ?? "",
      visibility: input.visibility,
      languages: JSON.stringify([...new Set(input.languages)]),
      created_at: now,
    };
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await trx.insertInto("organizations").values(org).execute();
        await trx.insertInto("memberships").values({ organization_id: org.id, account_id: auth.account.id, role: "admin", joined_at: now }).execute();
        await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "organization.created", details: { visibility: org.visibility } });
      });
      return toSummary(org, "admin", 1);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug) throw new AppError("slug_taken", "This address is taken; choose another.", { issues: [{ path: "slug", message: "taken" }] });
    }
  }
  throw new AppError("slug_taken", "Could not find a free address for this name; choose one.");
}

export async function listMyOrganizations(ctx: AppContext, auth: Authenticated): Promise<OrganizationSummary[]> {
  const rows = await ctx.db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .selectAll("o")
    .select("m.role")
    .select((eb) =>
      eb.selectFrom("memberships as c").select(eb.fn.countAll<number>().as("n")).whereRef("c.organization_id", "=", "o.id").as("member_count"),
    )
    .where("m.account_id", "=", auth.account.id)
    .orderBy("o.name")
    .execute();
  return rows.map(({ role, member_count, ...org }) => toSummary(org, role, Number(member_count)));
}

export async function getOrganization(ctx: AppContext, auth: Authenticated | null, slug: string): Promise<OrganizationSummary> {
  const { org, role } = await access(ctx, slug, auth?.account.id ?? null, null);
  return toSummary(org, role, await memberCount(ctx.db, org.id));
}

export async function updateOrganization(ctx: AppContext, auth: Authenticated, slug: string, input: UpdateOrganization): Promise<OrganizationSummary> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const changes: Partial<OrganizationsTable> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  if (input.visibility !== undefined) changes.visibility = input.visibility;
  if (input.languages !== undefined) changes.languages = JSON.stringify([...new Set(input.languages)]);
  // only new loops take it: an MLS group keeps the suite it was created with
  if (input.loopSuite !== undefined && input.loopSuite !== loopSuite(org)) changes.loop_suite = input.loopSuite;
  if (Object.keys(changes).length === 0) return toSummary(org, "admin", await memberCount(ctx.db, org.id));
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("organizations").set(changes).where("id", "=", org.id).execute();
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "organization.updated", details: { fields: Object.keys(changes).join(",") } });
  });
  return toSummary({ ...org, ...changes }, "admin", await memberCount(ctx.db, org.id));
}

export async function listMembers(ctx: AppContext, auth: Authenticated, slug: string): Promise<Member[]> {
  const { org } = await access(ctx, slug, auth.account.id, "member");
  const rows = await ctx.db
    .selectFrom("memberships as m")
    .innerJoin("accounts as a", "a.id", "m.account_id")
    .select(["a.id", "a.username", "m.role", "m.joined_at"])
    .where("m.organization_id", "=", org.id)
    .orderBy(sql`case m.role when 'admin' then 0 when 'organizer' then 1 else 2 end`)
    .orderBy("a.username_key")
    .execute();
  return rows.map((r) => ({ accountId: r.id, username: r.username, role: r.role, joinedAt: Number(r.joined_at) }));
}

export async function changeRole(ctx: AppContext, auth: Authenticated, slug: string, accountId: string, role: Role): Promise<Member> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ctx, org.id);
    const target = await trx
      .selectFrom("memberships as m")
      .innerJoin("accounts as a", "a.id", "m.account_id")
      .select(["a.id", "a.username", "m.role", "m.joined_at"])
      .where("m.organization_id", "=", org.id)
      .where("m.account_id", "=", accountId)
      .executeTakeFirst();
    if (!target) throw new AppError("not_found", "This person is not a member of the organization.");
    // the caller's own role is read again inside the lock: it may have just changed
    const mine = await trx.selectFrom("memberships").select("role").where("organization_id", "=", org.id).where("account_id", "=", auth.account.id).executeTakeFirst();
    if (mine?.role !== "admin") throw new AppError("forbidden", "This needs the admin role in this organization.");
    if (target.role === role) return { accountId: target.id, username: target.username, role, joinedAt: Number(target.joined_at) };
    if (target.role === "admin" && (await adminCount(trx, org.id)) <= 1) {
      throw new AppError("last_admin", "An organization needs at least one admin: make someone else admin first.");
    }
    await trx.updateTable("memberships").set({ role }).where("organization_id", "=", org.id).where("account_id", "=", accountId).execute();
    // an admin no longer: their devices stop receiving the organization key (see docs/security.md)
    if (target.role === "admin") await revokeGrantsOf(trx, org.id, accountId);
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "member.role_changed", subjectId: accountId, details: { from: target.role, to: role } });
    return { accountId: target.id, username: target.username, role, joinedAt: Number(target.joined_at) };
  });
}

/** An admin removes a member, or a member (any role) leaves. */
export async function removeMember(ctx: AppContext, auth: Authenticated, slug: string, accountId: string): Promise<void> {
  const self = accountId === auth.account.id;
  const { org } = await access(ctx, slug, auth.account.id, self ? "member" : "admin");
  const now = ctx.now();
  const rooms = await ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ctx, org.id);
    const target = await trx.selectFrom("memberships").select("role").where("organization_id", "=", org.id).where("account_id", "=", accountId).executeTakeFirst();
    if (!target) throw new AppError("not_found", "This person is not a member of the organization.");
    if (!self) {
      const mine = await trx.selectFrom("memberships").select("role").where("organization_id", "=", org.id).where("account_id", "=", auth.account.id).executeTakeFirst();
      if (mine?.role !== "admin") throw new AppError("forbidden", "This needs the admin role in this organization.");
    }
    if (target.role === "admin" && (await adminCount(trx, org.id)) <= 1) {
      throw new AppError("last_admin", self ? "You are the last admin: make someone else admin before you leave." : "An organization needs at least one admin.");
    }
    const left = await removeFromOrganization(trx, org.id, accountId);
    await recordAudit(trx, now, {
      organizationId: org.id,
      actorId: auth.account.id,
      action: self ? "member.left" : "member.removed",
      subjectId: accountId,
      details: { role: target.role },
    });
    return left;
  });
  await announceRemoval(ctx, rooms, accountId);
}

/**
 * Ends a membership, every circle membership and every loop inside that organization; returns the
 * loops left, whose remaining members must now commit the removal of that person's devices.
 */
export async function removeFromOrganization(trx: Kysely<Database>, organizationId: string, accountId: string): Promise<string[]> {
  const rooms = await roomsOf(trx, accountId, { organizationId });
  if (rooms.length > 0) await trx.deleteFrom("room_members").where("account_id", "=", accountId).where("room_id", "in", rooms).execute();
  await trx
    .deleteFrom("circle_members")
    .where("account_id", "=", accountId)
    .where("circle_id", "in", (eb) => eb.selectFrom("circles").select("id").where("organization_id", "=", organizationId))
    .execute();
  await trx.deleteFrom("memberships").where("organization_id", "=", organizationId).where("account_id", "=", accountId).execute();
  await revokeGrantsOf(trx, organizationId, accountId);
  return rooms;
}

/**
 * Tells the bus that an account joined these loops (or has a new device there): it hears of the
 * room, and the members' devices bring its devices into the MLS group without anyone acting.
 */
export async function announceAddition(ctx: AppContext, rooms: readonly string[], accountId: string): Promise<void> {
  for (const roomId of rooms) {
    await ctx.bus.publish({ type: "room", roomId, change: "added", accountIds: [accountId] });
    await ctx.bus.publish({ type: "room", roomId, change: "updated", accountIds: [] });
  }
}

/** Tells the bus that an account left these loops: its devices stop receiving at once. */
export async function announceRemoval(ctx: AppContext, rooms: readonly string[], accountId: string): Promise<void> {
  for (const roomId of rooms) {
    await ctx.bus.publish({ type: "room", roomId, change: "removed", accountIds: [accountId] });
    await ctx.bus.publish({ type: "room", roomId, change: "updated", accountIds: [] });
  }
}
