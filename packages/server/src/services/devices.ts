import { verify } from "@commune/crypto";
import { deviceProofMessage, type Device, type DeviceRegistration } from "@commune/protocol";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { DevicesTable } from "../store/schema/devices.ts";
import type { Authenticated } from "./sessions.ts";

const MAX_DEVICES = 50;

function toDevice(row: DevicesTable): Device {
  return {
    id: row.id,
    name: row.name,
    publicKey: row.public_key,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

/**
 * Registers a device's signature key for the signed-in account (or finds it, if this key is already
 * registered) after checking the device holds the private key, and binds the current session to it.
 */
export async function registerDevice(ctx: AppContext, auth: Authenticated, input: DeviceRegistration): Promise<{ device: Device; created: boolean }> {
  const message = deviceProofMessage(auth.account.id, input.publicKey);
  if (!(await verify(input.publicKey, input.proof, message))) {
    throw new AppError("validation_failed", "The device proof does not verify with this public key.", {
      issues: [{ path: "proof", message: "signature does not verify" }],
    });
  }
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    let row = await trx.selectFrom("devices").selectAll().where("public_key", "=", input.publicKey).executeTakeFirst();
    const created = !row;
    if (row && row.account_id !== auth.account.id) {
      throw new AppError("conflict", "This key belongs to another account's device.");
    }
    if (row) {
      await trx.updateTable("devices").set({ last_seen_at: now }).where("id", "=", row.id).execute();
    } else {
      const count = await trx
        .selectFrom("devices")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", auth.account.id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_DEVICES) {
        throw new AppError("conflict", `An account can have at most ${MAX_DEVICES} devices; remove an old one first.`);
      }
      row = { id: newId(), account_id: auth.account.id, name: input.name, public_key: input.publicKey, created_at: now, last_seen_at: now };
      try {
        await trx.insertInto("devices").values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError("conflict", "This key is already registered.");
        throw error;
      }
    }
    await trx.updateTable("sessions").set({ device_id: row.id }).where("id", "=", auth.sessionId).execute();
    return { device: toDevice(row), created };
  });
}

export async function listDevices(ctx: AppContext, auth: Authenticated): Promise<Device[]> {
  const rows = await ctx.db.selectFrom("devices").selectAll().where("account_id", "=", auth.account.id).orderBy("created_at").execute();
  return rows.map(toDevice);
}

/** Removes a device; its sessions end with it (foreign key cascade). */
export async function removeDevice(ctx: AppContext, auth: Authenticated, deviceId: string): Promise<void> {
  const result = await ctx.db.deleteFrom("devices").where("id", "=", deviceId).where("account_id", "=", auth.account.id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new AppError("not_found", "No such device.");
}
