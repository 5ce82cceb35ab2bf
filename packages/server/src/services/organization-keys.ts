/**
 * The organization key: an HPKE key pair per organization whose private half this server never
 * sees. It keeps the public keys (current and retired), the private keys sealed to each admin
 * device (grants) and to the recovery key, and decides who may read and write which.
 *
 * Who holds the key is decided here by role: grants go only to devices of current admins, and an
 * admin who stops being one loses their devices' grants (`revokeGrantsOf`). A device that held the
 * key may have kept a copy: only a rotation protects what is sealed after that.
 */
import type {
  AddKeyGrants,
  AdminDeviceKeyState,
  CreateOrganizationKey,
  KeyGrant,
  OrganizationKeyInfo,
  OrganizationKeysStatus,
  OrganizationPublicKey,
  RecoveryCopyInfo,
  ReplaceRecoveryKey,
} from "@commune/protocol";
import { MAX_ORGANIZATION_KEYS } from "@commune/protocol";
import type { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { Database } from "../store/schema/index.ts";
import type { OrganizationKeysTable } from "../store/schema/organization-keys.ts";
import { recordAudit } from "./audit.ts";
import { checkSealPublicKey } from "./device-seal-keys.ts";
import { requireDevice } from "./key-packages.ts";
import { access, lockOrganization } from "./organizations.ts";
import type { Authenticated } from "./sessions.ts";

/**
 * The key new records of an organization are sealed to, or null before an admin has made one.
 * The petition and form services call this when they hand out the key and when they accept a
 * record (a record sealed to another key is refused).
 */
export async function currentOrganizationKey(ctx: AppContext, organizationId: string): Promise<{ id: string; publicKey: string /* base64url */ } | null> {
  const row = await ctx.db
    .selectFrom("organization_keys")
    .select(["id", "public_key"])
    .where("organization_id", "=", organizationId)
    .where("retired_at", "is", null)
    .executeTakeFirst();
  return row ? { id: row.id, publicKey: row.public_key } : null;
}

/** GET /orgs/:slug/keys/current: any member reads the current public key. */
export async function currentKey(ctx: AppContext, auth: Authenticated, slug: string): Promise<OrganizationPublicKey | null> {
  const { org } = await access(ctx, slug, auth.account.id, "member");
  const row = await ctx.db.selectFrom("organization_keys").selectAll().where("organization_id", "=", org.id).where("retired_at", "is", null).executeTakeFirst();
  return row ? { id: row.id, publicKey: row.public_key, createdAt: Number(row.created_at) } : null;
}

async function keysOf(db: Kysely<Database>, organizationId: string): Promise<OrganizationKeysTable[]> {
  return db.selectFrom("organization_keys").selectAll().where("organization_id", "=", organizationId).orderBy("created_at", "desc").orderBy("id").execute();
}

/** Every device of the organization's admins, with its sealing key and the keys it lacks. */
async function adminDevices(db: Kysely<Database>, organizationId: string, keyIds: readonly string[]): Promise<AdminDeviceKeyState[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("accounts as a", "a.id", "m.account_id")
    .innerJoin("devices as d", "d.account_id", "m.account_id")
    .leftJoin("device_seal_keys as s", "s.device_id", "d.id")
    .select(["d.id as deviceId", "d.name as deviceName", "d.public_key as devicePublicKey", "a.id as accountId", "a.username", "s.public_key as sealPublicKey", "s.signature"])
    .where("m.organization_id", "=", organizationId)
    .where("m.role", "=", "admin")
    .orderBy("a.username_key")
    .orderBy("d.created_at")
    .execute();
  const held = new Set<string>();
  if (keyIds.length > 0 && rows.length > 0) {
    const grants = await db
      .selectFrom("organization_key_grants")
      .select(["key_id", "device_id"])
      .where("key_id", "in", keyIds)
      .where("device_id", "in", rows.map((r) => r.deviceId))
      .execute();
    for (const g of grants) held.add(`${g.key_id} ${g.device_id}`);
  }
  return rows.map((r) => ({
    deviceId: r.deviceId,
    deviceName: r.deviceName,
    accountId: r.accountId,
    username: r.username,
    devicePublicKey: r.devicePublicKey,
    sealPublicKey: r.sealPublicKey ?? null,
    sealKeySignature: r.signature ?? null,
    missingKeyIds: keyIds.filter((k) => !held.has(`${k} ${r.deviceId}`)),
  }));
}

/** GET /orgs/:slug/keys (admins): keys, recovery, and where each admin device stands. */
export async function keyStatus(ctx: AppContext, auth: Authenticated, slug: string): Promise<OrganizationKeysStatus> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const keys = await ctx.db
    .selectFrom("organization_keys as k")
    .leftJoin("accounts as a", "a.id", "k.created_by")
    .select(["k.id", "k.public_key", "k.created_at", "k.retired_at", "a.username"])
    .where("k.organization_id", "=", org.id)
    .orderBy("k.created_at", "desc")
    .orderBy("k.id")
    .execute();
  const recovery = await ctx.db
    .selectFrom("organization_key_recovery")
    .select(["recovery_public_key", "created_at"])
    .where("organization_id", "=", org.id)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return {
    organizationId: org.id,
    keys: keys.map(
      (k): OrganizationKeyInfo => ({
        id: k.id,
        publicKey: k.public_key,
        createdAt: Number(k.created_at),
        createdBy: k.username ?? null,
        retiredAt: k.retired_at === null ? null : Number(k.retired_at),
      }),
    ),
    recovery: recovery ? { publicKey: recovery.recovery_public_key, updatedAt: Number(recovery.created_at) } : null,
    devices: await adminDevices(
      ctx.db,
      org.id,
      keys.map((k) => k.id),
    ),
  };
}

/** GET /orgs/:slug/keys/pending (admins): admin devices that can receive keys they lack. */
export async function pendingDevices(ctx: AppContext, auth: Authenticated, slug: string): Promise<AdminDeviceKeyState[]> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const keys = await keysOf(ctx.db, org.id);
  const devices = await adminDevices(
    ctx.db,
    org.id,
    keys.map((k) => k.id),
  );
  return devices.filter((d) => d.sealPublicKey !== null && d.missingKeyIds.length > 0);
}

/** GET /orgs/:slug/keys/grants (admins): the keys sealed to the caller's device. */
export async function myGrants(ctx: AppContext, auth: Authenticated, slug: string): Promise<KeyGrant[]> {
  const deviceId = requireDevice(auth);
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const rows = await ctx.db
    .selectFrom("organization_key_grants as g")
    .innerJoin("organization_keys as k", "k.id", "g.key_id")
    .select(["g.key_id", "g.sealed"])
    .where("k.organization_id", "=", org.id)
    .where("g.device_id", "=", deviceId)
    .orderBy("k.created_at", "desc")
    .execute();
  return rows.map((r) => ({ keyId: r.key_id, sealed: r.sealed }));
}

/**
 * Checks grants inside the caller's transaction: every key is this organization's, and every
 * device belongs to one of its admins and has published a sealing key.
 */
async function checkGrants(trx: Kysely<Database>, organizationId: string, grants: AddKeyGrants["grants"], newKeyId: string | null): Promise<void> {
  const pairs = new Set<string>();
  for (const [i, g] of grants.entries()) {
    const pair = `${g.keyId} ${g.deviceId}`;
    if (pairs.has(pair)) throw new AppError("validation_failed", "A device is given the same key twice.", { issues: [{ path: `grants.${i}`, message: "duplicate" }] });
    pairs.add(pair);
  }
  const keyIds = [...new Set(grants.map((g) => g.keyId))].filter((k) => k !== newKeyId);
  if (keyIds.length > 0) {
    const known = await trx.selectFrom("organization_keys").select("id").where("organization_id", "=", organizationId).where("id", "in", keyIds).execute();
    if (known.length !== keyIds.length) throw new AppError("not_found", "A key named in the grants is not this organization's.");
  }
  const deviceIds = [...new Set(grants.map((g) => g.deviceId))];
  const devices = await trx
    .selectFrom("devices as d")
    .innerJoin("memberships as m", "m.account_id", "d.account_id")
    .innerJoin("device_seal_keys as s", "s.device_id", "d.id")
    .select("d.id")
    .where("m.organization_id", "=", organizationId)
    .where("m.role", "=", "admin")
    .where("d.id", "in", deviceIds)
    .execute();
  if (devices.length !== deviceIds.length) {
    throw new AppError("forbidden", "Keys go only to devices of this organization's admins that have published a sealing key.");
  }
}

/**
 * POST /orgs/:slug/keys (admins): the organization's first key, or a rotation. The caller's own
 * device must be among the grants, so at least one device can open what is sealed to the new key.
 */
export async function createKey(ctx: AppContext, auth: Authenticated, slug: string, input: CreateOrganizationKey): Promise<OrganizationKeyInfo> {
  const deviceId = requireDevice(auth);
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  if (input.grants.some((g) => g.keyId !== input.id)) {
    throw new AppError("validation_failed", "A new key's grants must all be of that key.", { issues: [{ path: "grants", message: "other key" }] });
  }
  if (!input.grants.some((g) => g.deviceId === deviceId)) {
    throw new AppError("validation_failed", "Seal the new key to this device too.", { issues: [{ path: "grants", message: "missing this device" }] });
  }
  await checkSealPublicKey(input.publicKey, "publicKey");
  if (input.recovery.recoveryPublicKey) await checkSealPublicKey(input.recovery.recoveryPublicKey, "recovery.recoveryPublicKey");
  const now = ctx.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      await lockOrganization(trx, ctx, org.id);
      const mine = await trx.selectFrom("memberships").select("role").where("organization_id", "=", org.id).where("account_id", "=", auth.account.id).executeTakeFirst();
      if (mine?.role !== "admin") throw new AppError("forbidden", "This needs the admin role in this organization.");
      const keys = await keysOf(trx, org.id);
      const current = keys.find((k) => k.retired_at === null) ?? null;
      if ((current?.id ?? null) !== input.replaces) {
        throw new AppError("conflict", current ? "The organization's key has changed since this page loaded. Reload and try again." : "This organization has no key to replace.");
      }
      if (keys.length >= MAX_ORGANIZATION_KEYS) throw new AppError("conflict", `An organization can have at most ${MAX_ORGANIZATION_KEYS} keys.`);
      const kept = await trx
        .selectFrom("organization_key_recovery")
        .select("recovery_public_key")
        .where("organization_id", "=", org.id)
        .orderBy("created_at", "desc")
        .executeTakeFirst();
      const recoveryPublicKey = kept?.recovery_public_key ?? input.recovery.recoveryPublicKey;
      if (!recoveryPublicKey) {
        throw new AppError("validation_failed", "The first key needs a recovery key.", { issues: [{ path: "recovery.recoveryPublicKey", message: "required" }] });
      }
      if (kept && input.recovery.recoveryPublicKey && input.recovery.recoveryPublicKey !== kept.recovery_public_key) {
        throw new AppError("validation_failed", "Seal a rotated key to the organization's recovery key; replace that key on its own.", {
          issues: [{ path: "recovery.recoveryPublicKey", message: "not the organization's recovery key" }],
        });
      }
      await checkGrants(trx, org.id, input.grants, input.id);
      if (current) await trx.updateTable("organization_keys").set({ retired_at: now }).where("id", "=", current.id).execute();
      await trx
        .insertInto("organization_keys")
        .values({ id: input.id, organization_id: org.id, public_key: input.publicKey, created_at: now, created_by: auth.account.id, retired_at: null })
        .execute();
      await trx
        .insertInto("organization_key_grants")
        .values(input.grants.map((g) => ({ key_id: g.keyId, device_id: g.deviceId, sealed: g.sealed, created_at: now })))
        .execute();
      await trx
        .insertInto("organization_key_recovery")
        .values({ key_id: input.id, organization_id: org.id, recovery_public_key: recoveryPublicKey, sealed: input.recovery.sealed, created_at: now })
        .execute();
      await recordAudit(trx, now, {
        organizationId: org.id,
        actorId: auth.account.id,
        action: current ? "organization_key.rotated" : "organization_key.created",
        details: { devices: input.grants.length },
      });
      return { id: input.id, publicKey: input.publicKey, createdAt: now, createdBy: auth.account.username, retiredAt: null };
    });
  } catch (error) {
    // the same id chosen twice, or two first keys at once on SQLite's side of the race
    if (isUniqueViolation(error)) throw new AppError("conflict", "The organization's key changed at the same moment. Reload and try again.");
    throw error;
  }
}

/** POST /orgs/:slug/keys/grants (admins): keys sealed to admin devices that lack them. */
export async function addGrants(ctx: AppContext, auth: Authenticated, slug: string, input: AddKeyGrants): Promise<{ added: number }> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ctx, org.id);
    await checkGrants(trx, org.id, input.grants, null);
    // a grant already there stays: another admin's client was quicker, with an equally good copy
    const result = await trx
      .insertInto("organization_key_grants")
      .values(input.grants.map((g) => ({ key_id: g.keyId, device_id: g.deviceId, sealed: g.sealed, created_at: now })))
      .onConflict((oc) => oc.columns(["key_id", "device_id"]).doNothing())
      .executeTakeFirst();
    const added = Number(result.numInsertedOrUpdatedRows ?? 0n);
    if (input.recovered) {
      await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "organization_key.recovered", details: { keys: new Set(input.grants.map((g) => g.keyId)).size } });
    }
    return { added };
  });
}

/** GET /orgs/:slug/keys/recovery (admins): every key sealed to the recovery key. */
export async function recoveryCopies(ctx: AppContext, auth: Authenticated, slug: string): Promise<RecoveryCopyInfo[]> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  const rows = await ctx.db
    .selectFrom("organization_key_recovery as r")
    .innerJoin("organization_keys as k", "k.id", "r.key_id")
    .select(["r.key_id", "r.recovery_public_key", "r.sealed"])
    .where("r.organization_id", "=", org.id)
    .orderBy("k.created_at", "desc")
    .execute();
  return rows.map((r) => ({ keyId: r.key_id, recoveryPublicKey: r.recovery_public_key, sealed: r.sealed }));
}

/** PUT /orgs/:slug/keys/recovery (admins): a new recovery key replaces the old, for every key. */
export async function replaceRecovery(ctx: AppContext, auth: Authenticated, slug: string, input: ReplaceRecoveryKey): Promise<{ publicKey: string; updatedAt: number }> {
  const { org } = await access(ctx, slug, auth.account.id, "admin");
  await checkSealPublicKey(input.recoveryPublicKey, "recoveryPublicKey");
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ctx, org.id);
    const keys = await keysOf(trx, org.id);
    const given = new Set(input.copies.map((c) => c.keyId));
    if (given.size !== input.copies.length || keys.length !== given.size || keys.some((k) => !given.has(k.id))) {
      throw new AppError("conflict", "Seal every key of the organization, each once, to the new recovery key (the keys may have changed: reload).");
    }
    await trx.deleteFrom("organization_key_recovery").where("organization_id", "=", org.id).execute();
    await trx
      .insertInto("organization_key_recovery")
      .values(input.copies.map((c) => ({ key_id: c.keyId, organization_id: org.id, recovery_public_key: input.recoveryPublicKey, sealed: c.sealed, created_at: now })))
      .execute();
    await recordAudit(trx, now, { organizationId: org.id, actorId: auth.account.id, action: "organization_key.recovery_replaced", details: { keys: keys.length } });
    return { publicKey: input.recoveryPublicKey, updatedAt: now };
  });
}
