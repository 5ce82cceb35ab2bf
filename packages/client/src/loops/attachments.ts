/**
 * Loop attachments on the device: each file is encrypted with a fresh AES-256-GCM key before it
 * leaves, the key travels only inside the MLS message, and the server keeps opaque bytes. What a
 * device decrypted is kept in its LoopStore (like the messages it read), so an image is not fetched
 * again each time the conversation opens; it goes when its message disappears.
 */
import { fromBase64Url, toBase64Url } from "@commune/crypto";
import type { CommuneClient } from "../client.ts";
import type { TransferOptions } from "../transfer-progress.ts";
import type { LoopStore } from "./loop-store.ts";

/** AES-GCM adds a 16-byte tag: the ciphertext the server counts is this much larger than the file. */
export const ATTACHMENT_OVERHEAD = 16;

/** Decrypted files up to this size are kept on the device; larger ones are fetched when opened. */
export const FILE_CACHE_MAX = 16 * 1024 * 1024;

/** What a message says about its attachment (the `file` content, or the fields of it this needs). */
export interface AttachmentRef {
  readonly attachment: string;
  readonly key: string;
  readonly iv: string;
}

/** The largest file (plaintext) that fits an instance's attachment limit. */
export function maxFileBytes(maxAttachmentBytes: number): number {
  return Math.max(0, maxAttachmentBytes - ATTACHMENT_OVERHEAD);
}

export async function encryptAttachment(bytes: Uint8Array<ArrayBuffer>): Promise<{ ciphertext: Uint8Array<ArrayBuffer>; key: string; iv: string }> {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aes = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, aes, bytes));
  return { ciphertext, key: toBase64Url(key), iv: toBase64Url(iv) };
}

export async function decryptAttachment(ciphertext: Uint8Array<ArrayBuffer>, ref: AttachmentRef): Promise<Uint8Array<ArrayBuffer>> {
  const aes = await crypto.subtle.importKey("raw", fromBase64Url(ref.key), "AES-GCM", false, ["decrypt"]);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(ref.iv) }, aes, ciphertext));
}

export function fileCacheKey(roomId: string, attachmentId: string): string {
  return `file:${roomId}:${attachmentId}`;
}

/**
 * The decrypted bytes of an attachment: from this device's cache, or downloaded (with progress),
 * decrypted and cached. Touches no MLS state, so any tab of a browser profile may call it.
 */
export async function openAttachment(client: CommuneClient, store: LoopStore, roomId: string, ref: AttachmentRef, options: TransferOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const key = fileCacheKey(roomId, ref.attachment);
  const cached = await store.get(key);
  if (cached) {
    options.onProgress?.(cached.byteLength, cached.byteLength);
    return new Uint8Array(cached);
  }
  const bytes = await decryptAttachment(await client.downloadAttachment(roomId, ref.attachment, options), ref);
  if (bytes.byteLength <= FILE_CACHE_MAX) await store.set(key, bytes);
  return bytes;
}
