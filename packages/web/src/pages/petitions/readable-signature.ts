import type { OpenedSignature } from "@commune/client";
import type { SignaturePayload } from "@commune/protocol";

/** A signature this device could open. */
export type ReadableSignature = Extract<OpenedSignature, { ok: true }>;

/** How a signer is named in sentences: their name, else their address. */
export function who(payload: SignaturePayload): string {
  return payload.name ?? payload.email;
}
