import { createHash, randomBytes } from "node:crypto";

/** A fresh secret token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** A fresh opaque identifier (128 bits, base64url). */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}

/** Tokens are stored only as their SHA-256: a database dump yields no usable session or invite. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
