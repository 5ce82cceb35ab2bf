/**
 * Each device's X25519 sealing key, published next to its Ed25519 signature key and signed by it.
 * Admins' clients seal the organization key to it; they check the signature with the device key
 * themselves, so this server cannot slip in a key of its own without also forging the device.
 */
import { SealError, fromBase64Url, sealAsync, toBase64Url, verify } from "@commune/crypto";
import { sealKeyProofMessage, type PublishSealKey } from "@commune/protocol";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import { requireDevice } from "./key-packages.ts";
import type { Authenticated } from "./sessions.ts";

/** A base64url string that decodes to 32 bytes and is the one canonical spelling of them. */
function canonicalKey(text: string): Uint8Array | null {
  try {
    const bytes = fromBase64Url(text);
    return bytes.length === 32 && toBase64Url(bytes) === text ? bytes : null;
  } catch {
    return null;
  }
}

/**
 * Refuses a public key nothing can be sealed to (a low-order point): sealing an empty record to it
 * is the exact test, and costs well under a millisecond on WebCrypto.
 */
export async function checkSealPublicKey(text: string, field: string): Promise<void> {
  const bytes = canonicalKey(text);
  let usable = bytes !== null;
  if (bytes) {
    try {
      await sealAsync(bytes, new Uint8Array(), new Uint8Array());
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      usable = false;
    }
  }
  if (!usable) {
    throw new AppError("validation_failed", "This is not a usable X25519 public key.", { issues: [{ path: field, message: "not a usable X25519 public key" }] });
  }
}

/**
 * Stores this device's sealing public key. Publishing the same key again changes nothing; a
 * different key replaces it and drops the grants sealed to the old one (they no longer open here).
 */
export async function publishSealKey(ctx: AppContext, auth: Authenticated, input: PublishSealKey): Promise<{ publicKey: string; createdAt: number }> {
  const deviceId = requireDevice(auth);
  const device = await ctx.db.selectFrom("devices").select("public_key").where("id", "=", deviceId).executeTakeFirst();
  if (!device) throw new AppError("device_required", "This session's device is gone: register it again.");
  if (!(await verify(device.public_key, input.signature, sealKeyProofMessage(auth.account.id, deviceId, input.publicKey)))) {
    throw new AppError("validation_failed", "The signature does not verify with this device's key.", { issues: [{ path: "signature", message: "signature does not verify" }] });
  }
  await checkSealPublicKey(input.publicKey, "publicKey");
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("device_seal_keys").selectAll().where("device_id", "=", deviceId).executeTakeFirst();
    if (existing?.public_key === input.publicKey) return { publicKey: existing.public_key, createdAt: Number(existing.created_at) };
    if (existing) {
      await trx.deleteFrom("organization_key_grants").where("device_id", "=", deviceId).execute();
      await trx.deleteFrom("device_seal_keys").where("device_id", "=", deviceId).execute();
    }
    try {
      await trx.insertInto("device_seal_keys").values({ device_id: deviceId, public_key: input.publicKey, signature: input.signature, created_at: now }).execute();
    } catch (error) {
      // two starts of the same device racing (PostgreSQL; SQLite has one writer)
      if (isUniqueViolation(error)) throw new AppError("conflict", "This device published its sealing key at the same moment; try again.");
      throw error;
    }
    return { publicKey: input.publicKey, createdAt: now };
  });
}
