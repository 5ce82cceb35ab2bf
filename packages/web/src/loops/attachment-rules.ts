/**
 * What a loop accepts as an attachment, checked on the device before anything is encrypted or
 * uploaded: images, PDFs and audio, no larger than the instance allows (its limit counts the
 * ciphertext, which is the file plus AES-GCM's 16-byte tag).
 */
import { maxFileBytes } from "@commune/client";

/** For the file picker's `accept`. */
export const ACCEPTED_FILES = "image/*,application/pdf,audio/*";

/** Images the conversation shows inline once decrypted (not SVG: a document, not a picture). */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"]);

export type FileProblem = { readonly kind: "type" } | { readonly kind: "size"; readonly limit: number };

export function acceptedType(mime: string): boolean {
  return mime.startsWith("image/") || mime.startsWith("audio/") || mime === "application/pdf";
}

export function inlineImage(mime: string): boolean {
  return INLINE_IMAGES.has(mime);
}

/** Why a file cannot be sent, or null. `maxAttachmentBytes` is the instance's limit (null: unknown yet). */
export function fileProblem(file: { readonly size: number; readonly type: string }, maxAttachmentBytes: number | null): FileProblem | null {
  if (!acceptedType(file.type)) return { kind: "type" };
  if (maxAttachmentBytes !== null && file.size > maxFileBytes(maxAttachmentBytes)) return { kind: "size", limit: maxFileBytes(maxAttachmentBytes) };
  return null;
}

/** "25 MB", "340 kB" in the page's language (Intl's own unit names, so no catalog entry is needed). */
export function formatFileSize(language: string, bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return new Intl.NumberFormat(language, { style: "unit", unit: "megabyte", maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb);
  return new Intl.NumberFormat(language, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 }).format(Math.max(1, Math.ceil(bytes / 1024)));
}
