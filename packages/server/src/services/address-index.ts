/**
 * Keyed indexes of email addresses, for counting each address once without keeping it: petitions'
 * signatures and forms' "one response per address".
 */
import { createHmac } from "node:crypto";
import type { AppContext } from "../context.ts";

/**
 * HMAC of the normalized address, scoped to one petition or form, under a key derived from the
 * instance secret (`keyName`): equal addresses meet, but a database dump alone cannot test guesses.
 */
export function keyedAddressIndex(ctx: AppContext, keyName: string, scopeId: string, email: string): string {
  const normalized = email.normalize("NFKC").trim().toLowerCase();
  return createHmac("sha256", ctx.secrets.derive(keyName)).update(`${scopeId}\n${normalized}`).digest("base64url");
}
