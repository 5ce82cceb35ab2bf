/**
 * The recovery key of an organization: 32 random bytes that a person writes down or stores, from
 * which an X25519 key pair is derived. The organization's private keys are also sealed to that
 * key pair, so the organization survives the loss of every admin device.
 *
 * Written as 56 Crockford base32 characters in 14 groups of 4 — 32 bytes of key and a 3-byte
 * checksum (the first bytes of SHA-256 over the key). Crockford's alphabet has no I, L, O or U, and
 * reading accepts what people type instead (lowercase, i/l for 1, o for 0, spaces or hyphens
 * anywhere); the checksum refuses a mistyped key before it is tried, with odds of 1 in 16 million
 * of letting one through.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { base32crockford } from "@scure/base";
import { deriveSealKeyPair } from "./hpke-seal.ts";

const KEY_BYTES = 32;
const CHECK_BYTES = 3;
const GROUP = 4;
/** Characters in a recovery key, without separators. */
export const RECOVERY_KEY_LENGTH = ((KEY_BYTES + CHECK_BYTES) * 8) / 5;
const encoder = new TextEncoder();
// DeriveKeyPair's input: a label, so these bytes make no other key than this one
const LABEL = encoder.encode("commune organization recovery key v1");

export type RecoveryKeyProblem =
  /** Not 56 characters of the recovery key alphabet once spaces and hyphens are removed. */
  | "format"
  /** The right shape, but the checksum does not match: a character was mistyped. */
  | "checksum";

export class RecoveryKeyError extends Error {
  override readonly name = "RecoveryKeyError";
  readonly problem: RecoveryKeyProblem;
  constructor(problem: RecoveryKeyProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

function checksum(key: Uint8Array): Uint8Array {
  return sha256(key).subarray(0, CHECK_BYTES);
}

/** A new recovery key, e.g. "7QK2-M9XD-…" (14 groups of 4). Show it once; it is not stored anywhere. */
export function generateRecoveryKey(): string {
  const key = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const whole = new Uint8Array(KEY_BYTES + CHECK_BYTES);
  whole.set(key);
  whole.set(checksum(key), KEY_BYTES);
  const text = base32crockford.encode(whole);
  return text.match(new RegExp(`.{1,${GROUP}}`, "g"))!.join("-");
}

/** The 32 key bytes of a recovery key as typed; throws `RecoveryKeyError` for a typo or a wrong shape. */
export function parseRecoveryKey(text: string): Uint8Array {
  const compact = typeof text === "string" ? text.replace(/[\s\-‐‑–—]/g, "") : "";
  // the alphabet, plus the letters Crockford reads as digits (I, L → 1; O → 0)
  if (compact.length !== RECOVERY_KEY_LENGTH || !/^[0-9A-HJ-NP-TV-Za-hj-np-tv-zIiLlOo]+$/.test(compact)) {
    throw new RecoveryKeyError("format", `A recovery key has ${RECOVERY_KEY_LENGTH} letters and digits (spaces and hyphens do not count).`);
  }
  const whole = base32crockford.decode(compact);
  const key = whole.subarray(0, KEY_BYTES);
  const check = checksum(key);
  for (let i = 0; i < CHECK_BYTES; i++) {
    if (whole[KEY_BYTES + i] !== check[i]) throw new RecoveryKeyError("checksum", "This recovery key has a typo: check each character.");
  }
  return key.slice();
}

/** The X25519 key pair of a recovery key (RFC 9180 DeriveKeyPair): always the same for the same key. */
export function recoveryKeyPair(recoveryKey: string): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const key = parseRecoveryKey(recoveryKey);
  const ikm = new Uint8Array(LABEL.length + key.length);
  ikm.set(LABEL);
  ikm.set(key, LABEL.length);
  return deriveSealKeyPair(ikm);
}
