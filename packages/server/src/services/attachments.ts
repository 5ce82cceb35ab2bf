/**
 * Loop attachments: ciphertext only. The sender's device encrypts the file with a fresh key and
 * puts that key in the MLS message; the server keeps the encrypted bytes for the room's members
 * and deletes them with the room's disappearing timer.
 */
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireDevice } from "./key-packages.ts";
import { memberRoom } from "./rooms.ts";
import type { Authenticated } from "./sessions.ts";

export async function uploadAttachment(ctx: AppContext, auth: Authenticated, roomId: string, bytes: Uint8Array): Promise<{ id: string; size: number; expiresAt: number | null }> {
  const deviceId = requireDevice(auth);
  const room = await memberRoom(ctx, auth, roomId);
  if (bytes.length === 0) throw new AppError("validation_failed", "The attachment is empty.");
  const id = await ctx.blobs.put(bytes);
  const now = ctx.now();
  const expiresAt = room.disappearing_seconds === null ? null : now + room.disappearing_seconds * 1000;
  try {
    await ctx.db.insertInto("attachments").values({ id, room_id: room.id, uploader_device_id: deviceId, size: bytes.length, created_at: now, expires_at: expiresAt }).execute();
  } catch (error) {
    await ctx.blobs.delete(id);
    throw error;
  }
  return { id, size: bytes.length, expiresAt };
}

export async function downloadAttachment(ctx: AppContext, auth: Authenticated, roomId: string, id: string): Promise<Uint8Array> {
  const room = await memberRoom(ctx, auth, roomId);
  const row = await ctx.db.selectFrom("attachments").select(["id", "expires_at"]).where("id", "=", id).where("room_id", "=", room.id).executeTakeFirst();
  if (!row || (row.expires_at !== null && Number(row.expires_at) <= ctx.now())) throw new AppError("not_found", "No such attachment (it may have disappeared).");
  const bytes = await ctx.blobs.get(row.id);
  if (!bytes) throw new AppError("not_found", "No such attachment.");
  return bytes;
}

/** Deletes attachments whose timer ran out, bytes first; returns how many. */
export async function deleteExpiredAttachments(ctx: AppContext): Promise<number> {
  const rows = await ctx.db.selectFrom("attachments").select("id").where("expires_at", "<=", ctx.now()).limit(1000).execute();
  for (const row of rows) {
    await ctx.blobs.delete(row.id);
    await ctx.db.deleteFrom("attachments").where("id", "=", row.id).execute();
  }
  return rows.length;
}
