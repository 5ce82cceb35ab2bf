import type { CreateInvite, CreatedInvite, Invite, InvitePreview, OrganizationSummary } from "@commune/protocol";
import type { Kysely } from "kysely";
import { hashToken, newId, newToken } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { Database } from "../store/schema/index.ts";
import type { InvitesTable } from "../store/schema/invites.ts";
import { recordAudit } from "./audit.ts";
import { joinCircleLoop } from "./circles.ts";
import { access, lockOrganization, memberCount, toSummary } from "./organizations.ts";
import type { Authenticated } from "./sessions.ts";

const HOUR = 3_600_000;

/** Invite links carry the token in the fragment, so it never reaches a server or proxy log. */
export function inviteUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/invite#${token}`;
}

function toInvite(row: InvitesTable): Invite {
  return {
    id: row.id,
    role: row.role ?? "member",
    maxUses: row.max_uses,
    uses: row.uses,
    expiresAt: Number(row.expires_at),
    revoked: row.revoked_at !== null,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    circleIds: JSON.parse(row.circle_ids) as string[],
  };
}

export async function createInvite(ctx: AppContext, auth: Authenticated, slug: string, input: CreateInvite): Promise<CreatedInvite> {
  const { org, role } = await access(ctx, slug, auth.account.id, "organizer");
  if (role !== "admin" && input.role !== "member") {
    throw new AppError("forbidden", "Organizers invite members; only admins invite organizers and admins.");
  }
  const circleIds = [...new Set(input.circleIds ?? [])];
  if (circleIds.length > 0) {
    const found = await ctx.db.selectFrom("circles").select("id").where("organization_id", "=", org.id).where("id", "in", circleIds).execute();
    if (found.length !== circleIds.length) {
      throw new AppError("validation_failed", "Some of these circles do not exist in this organization.", { issues: [{ path: "circleIds", message: "unknown circle" }] });
    }
  }
  const now = ctx.now();
  const token = newToken();
  const row: InvitesTable = {
    id: newId(),
    organization_id: org.id,
    token_hash: hashToken(token),
    role: input.role,
    max_uses: input.maxUses,
    uses: 0,
    expires_at: now + input.expiresInHours * HOUR,
    revoked_at: null,
    created_by: auth.account.id,
    created_at: now,
    circle_ids: JSON.stringify(circleIds),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto("invites").values(row).execute();
    await recordAudit(trx, now, {
      organizationId: org.id,
      actorId: auth.account.id,
      action: "invite.created",
      subjectId: row.id,
      details: { role: input.role, maxUses: input.maxUses, hours: input.expiresInHours },
    });
  });
  return { ...toInvite(row), token, url: inviteUrl(ctx, token) };
}

export async function listInvites(ctx: AppContext, auth: Authenticated, slug: string): Promise<Invite[]> {
  const { org } = await access(ctx, slug, auth.account.id, "organizer");
  const rows = await ctx.db.selectFrom("invites").selectAll().where("organization_id", "=", org.id).orderBy("created_at", "desc").limit(500).execute();
  return rows.map(toInvite);
}

export async function revokeInvite(ctx: AppContext, auth: Authenticated, slug: string, inviteId: string): Promise<void> {
  const { org, role } = await access(ctx, slug, auth.account.id, "organizer");
  const invite = await ctx.db.selectFrom("invites").selectAll().where("id", "=", inviteId).where("organization_id", "=", org.id).executeTakeFirst();
  if (!invite) throw new AppError("not_found", "No such invite.");
  if (role !== "admin" && invite.created_by !== auth.account.id) throw new AppError("forbidden", "Organizers revoke only the invites they made.");
  if (invite.revoked_at !== null) return;
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("invites").set({ revoked_at: now }).where("id", "=", inviteId).execute();
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "invite.revoked", subjectId: inviteId });
  });
}

/** Creates a one-time link that makes whoever redeems it an administrator of this instance. */
export async function createAdminInvite(ctx: AppContext, hours = 24): Promise<{ token: string; url: string; expiresAt: number }> {
  const now = ctx.now();
  const token = newToken();
  const expiresAt = now + hours * HOUR;
  await ctx.db
    .insertInto("invites")
    .values({
      id: newId(),
      organization_id: null,
      token_hash: hashToken(token),
      role: null,
      max_uses: 1,
      uses: 0,
      expires_at: expiresAt,
      revoked_at: null,
      created_by: null,
      created_at: now,
      circle_ids: "[]",
    })
    .execute();
  return { token, url: inviteUrl(ctx, token), expiresAt };
}

async function usableInvite(db: Kysely<Database>, ctx: AppContext, token: string): Promise<InvitesTable> {
  const row = await db.selectFrom("invites").selectAll().where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!row || row.revoked_at !== null || Number(row.expires_at) <= ctx.now() || (row.max_uses !== null && row.uses >= row.max_uses)) {
    throw new AppError("invite_invalid", "This invite link has expired, been used up or been revoked. Ask the person who sent it for a new one.");
  }
  return row;
}

export async function previewInvite(ctx: AppContext, token: string): Promise<InvitePreview> {
  const row = await usableInvite(ctx.db, ctx, token);
  if (row.organization_id === null) return { kind: "instance-admin", organization: null, role: null, expiresAt: Number(row.expires_at) };
  const org = await ctx.db.selectFrom("organizations").select(["name", "slug", "description"]).where("id", "=", row.organization_id).executeTakeFirstOrThrow();
  return { kind: "organization", organization: org, role: row.role, expiresAt: Number(row.expires_at) };
}

export type Redeemed = { readonly kind: "instance-admin" } | { readonly kind: "organization"; readonly organization: OrganizationSummary };

/**
 * Uses one of an invite's uses for this account, inside the caller's transaction: joins the
 * organization (and the invite's circles) or makes the account an instance administrator.
 * Already being a member uses nothing and changes nothing.
 */
export async function redeemInvite(trx: Kysely<Database>, ctx: AppContext, token: string, accountId: string): Promise<Redeemed> {
  const invite = await usableInvite(trx, ctx, token);
  const now = ctx.now();
  if (invite.organization_id !== null) {
    await lockOrganization(trx, ctx, invite.organization_id);
    const org = await trx.selectFrom("organizations").selectAll().where("id", "=", invite.organization_id).executeTakeFirstOrThrow();
    const existing = await trx.selectFrom("memberships").select("role").where("organization_id", "=", org.id).where("account_id", "=", accountId).executeTakeFirst();
    if (existing) return { kind: "organization", organization: toSummary(org, existing.role, await memberCount(trx, org.id)) };
    await consumeUse(trx, ctx, invite);
    const role = invite.role ?? "member";
    await trx.insertInto("memberships").values({ organization_id: org.id, account_id: accountId, role, joined_at: now }).execute();
    for (const circleId of JSON.parse(invite.circle_ids) as string[]) {
      const circle = await trx.selectFrom("circles").select("id").where("id", "=", circleId).where("organization_id", "=", org.id).executeTakeFirst();
      if (circle) {
        await trx.insertInto("circle_members").values({ circle_id: circleId, account_id: accountId, added_at: now }).execute();
        await joinCircleLoop(trx, circleId, accountId, now);
      }
    }
    await recordAudit(trx, now, { organizationId: org.id, actorId: accountId, action: "member.joined", subjectId: accountId, details: { role, invite: invite.id } });
    return { kind: "organization", organization: toSummary(org, role, await memberCount(trx, org.id)) };
  }
  await consumeUse(trx, ctx, invite);
  await trx.updateTable("accounts").set({ instance_admin: 1 }).where("id", "=", accountId).execute();
  return { kind: "instance-admin" };
}

/** Takes one use atomically: two people racing for the last use cannot both get it. */
async function consumeUse(trx: Kysely<Database>, ctx: AppContext, invite: InvitesTable): Promise<void> {
  const result = await trx
    .updateTable("invites")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where("id", "=", invite.id)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", ctx.now())
    .where((eb) => eb.or([eb("max_uses", "is", null), eb("uses", "<", eb.ref("max_uses"))]))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new AppError("invite_invalid", "This invite link has just been used up. Ask the person who sent it for a new one.");
  }
}
