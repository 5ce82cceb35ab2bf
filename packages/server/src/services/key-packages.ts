import type { ClaimKeyPackages, ClaimResult, KeyPackageStock, MlsSuite, PublishKeyPackages } from "@commune/protocol";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { Authenticated } from "./sessions.ts";

/** Below this many one-use packages a device is asked to publish more. */
export const LOW_STOCK = 10;
const MAX_STOCK = 200;

export function requireDevice(auth: Authenticated): string {
  if (!auth.deviceId) throw new AppError("device_required", "This session has no registered device: register one first.");
  return auth.deviceId;
}

export async function stock(ctx: AppContext, deviceId: string, suite: MlsSuite): Promise<KeyPackageStock> {
  const rows = await ctx.db
    .selectFrom("key_packages")
    .select(["last_resort", (eb) => eb.fn.countAll<number>().as("n")])
    .where("device_id", "=", deviceId)
    .where("suite", "=", suite)
    .groupBy("last_resort")
    .execute();
  return {
    suite,
    count: Number(rows.find((r) => r.last_resort === 0)?.n ?? 0),
    lastResort: rows.some((r) => r.last_resort === 1 && Number(r.n) > 0),
  };
}

/** Stores a device's new KeyPackages; a new last-resort package replaces the old one. */
export async function publishKeyPackages(ctx: AppContext, auth: Authenticated, input: PublishKeyPackages): Promise<KeyPackageStock> {
  const deviceId = requireDevice(auth);
  const now = ctx.now();
  const lastResort = input.packages.filter((p) => p.lastResort);
  if (lastResort.length > 1) throw new AppError("validation_failed", "At most one last-resort package at a time.");
  const current = await stock(ctx, deviceId, input.suite);
  if (current.count + input.packages.length - lastResort.length > MAX_STOCK) {
    throw new AppError("conflict", `A device keeps at most ${MAX_STOCK} unused packages.`);
  }
  await ctx.db.transaction().execute(async (trx) => {
    if (lastResort.length > 0) {
      await trx.deleteFrom("key_packages").where("device_id", "=", deviceId).where("suite", "=", input.suite).where("last_resort", "=", 1).execute();
    }
    await trx
      .insertInto("key_packages")
      .values(input.packages.map((p) => ({ id: newId(), device_id: deviceId, suite: input.suite, data: p.data, last_resort: p.lastResort ? 1 : 0, created_at: now })))
      .execute();
  });
  return stock(ctx, deviceId, input.suite);
}

/**
 * Hands out one KeyPackage per device of each account (deleting it, unless it is the device's
 * last-resort package). Only accounts that share an organization with the caller can be claimed.
 */
export async function claimKeyPackages(ctx: AppContext, auth: Authenticated, input: ClaimKeyPackages): Promise<{ result: ClaimResult; drained: string[] }> {
  const accountIds = [...new Set(input.accountIds)];
  const allowed = await ctx.db
    .selectFrom("memberships as theirs")
    .innerJoin("memberships as mine", "mine.organization_id", "theirs.organization_id")
    .select("theirs.account_id")
    .distinct()
    .where("mine.account_id", "=", auth.account.id)
    .where("theirs.account_id", "in", accountIds)
    .execute();
  if (allowed.length !== accountIds.length) throw new AppError("not_found", "Some of these accounts do not exist or share no organization with you.");
  const devices = await ctx.db.selectFrom("devices").select(["id", "account_id"]).where("account_id", "in", accountIds).execute();
  const packages: ClaimResult["packages"][number][] = [];
  const missing: ClaimResult["missing"][number][] = [];
  const drained: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const device of devices) {
      const kp = await trx
        .selectFrom("key_packages")
        .select(["id", "data", "last_resort"])
        .where("device_id", "=", device.id)
        .where("suite", "=", input.suite)
        .orderBy("last_resort")
        .orderBy("created_at")
        .limit(1)
        .executeTakeFirst();
      if (!kp) {
        missing.push({ accountId: device.account_id, deviceId: device.id });
        continue;
      }
      if (kp.last_resort === 0) {
        await trx.deleteFrom("key_packages").where("id", "=", kp.id).execute();
        drained.push(device.id);
      }
      packages.push({ accountId: device.account_id, deviceId: device.id, data: kp.data });
    }
  });
  return { result: { packages, missing }, drained };
}
