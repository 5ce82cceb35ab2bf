/**
 * Constants and small helpers shared by every side. Kept free of zod so that the browser bundle
 * and the client pull in the validation library only where they validate.
 */
export const LANGUAGES = ["en", "fr", "ja", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];

export const ROLES = ["admin", "organizer", "member"] as const;
export type Role = (typeof ROLES)[number];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 512;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export const MAX_INVITE_USES = 10_000;
export const MAX_INVITE_HOURS = 24 * 90;

/** The message a device signs to prove it holds the private key of the public key it registers. */
export function deviceProofMessage(accountId: string, publicKey: string): string {
  return `commune-device-v1\n${accountId}\n${publicKey}`;
}
