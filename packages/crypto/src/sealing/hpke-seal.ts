/**
 * Sealed records: RFC 9180 HPKE, base mode, single shot, with the suite
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20-Poly1305 (KEM 0x0020, KDF 0x0001, AEAD 0x0003).
 * A sealed record is one byte array: `enc` (the sender's 32-byte ephemeral public key) ‖ ciphertext.
 *
 * Why ChaCha20-Poly1305 and not AES-128-GCM: sealing and opening run in pure JavaScript (the
 * synchronous API cannot wait for WebCrypto), and @noble's AES uses lookup tables, which leak
 * through cache timing, where ChaCha20 is add-rotate-xor, constant time by construction and faster
 * in JavaScript; a cheap phone without AES instructions gains the same. The key is 256 bits.
 *
 * The key schedule and the KEM's derivations are the ones MLS uses (src/mls/crypto/hpke.ts); only
 * the AEAD and the framing are new here. Checked against RFC 9180's test vectors (Appendix A.2) and
 * @hpke/core in both directions (test/sealing-hpke.test.ts).
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { asymmetricOps } from "../mls/crypto/asymmetric.ts";
import { hpkeKeySchedule, X25519_DHKEM } from "../mls/crypto/hpke.ts";
import { SealError } from "./errors.ts";

export const SEAL_SUITE = { kem: 0x0020, kdf: 0x0001, aead: 0x0003 } as const;
/** Length of `enc`, the encapsulated key that opens every sealed record. */
export const ENC_LENGTH = 32;
/** Poly1305 tag length: a sealed record is ENC_LENGTH + plaintext + TAG_LENGTH bytes. */
export const TAG_LENGTH = 16;
/** Bytes a sealed record adds to its plaintext. */
export const SEAL_OVERHEAD = ENC_LENGTH + TAG_LENGTH;

const schedule = hpkeKeySchedule(SEAL_SUITE.kem, "HKDF-SHA256", SEAL_SUITE.aead, 32).keySchedule;
const EMPTY = new Uint8Array();

export interface SealKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** A fresh X25519 key pair to seal to (a device, an organization). */
export function generateSealKeyPair(): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const privateKey = x25519.utils.randomSecretKey();
  return { publicKey: x25519.getPublicKey(privateKey), privateKey };
}

/** RFC 9180 DeriveKeyPair(ikm): the same input always gives the same key pair. */
export function deriveSealKeyPair(ikm: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const privateKey = X25519_DHKEM.derivePrivateKey(ikm);
  return { publicKey: x25519.getPublicKey(privateKey), privateKey };
}

/** The public key of a private key (to check that a key pair belongs together). */
export function sealPublicKeyOf(privateKey: Uint8Array): Uint8Array {
  checkPrivate(privateKey);
  return publicKeyOf(privateKey).slice();
}

function checkPublic(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new SealError("bad_public_key", "A sealing public key is 32 bytes.");
}
function checkPrivate(privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new SealError("bad_private_key", "A sealing private key is 32 bytes.");
}

/**
 * RFC 9180 requires refusing an all-zero DH result (a low-order public key); noble throws on it.
 * When sealing, the recipient's key is at fault; when opening, the record's `enc` is.
 */
function dhSync(privateKey: Uint8Array, publicKey: Uint8Array, role: "recipient" | "enc"): Uint8Array {
  try {
    return x25519.getSharedSecret(privateKey, publicKey);
  } catch {
    if (role === "recipient") throw new SealError("bad_public_key", "This public key cannot be used (low-order point).");
    throw new SealError("open_failed", "This record does not open: its encapsulated key is not usable.");
  }
}

// An organization's key ring opens thousands of records with one private key: its public key
// (needed for the KEM context) is computed once, not once per record.
const publicKeys = new WeakMap<Uint8Array, Uint8Array>();
function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  let publicKey = publicKeys.get(privateKey);
  if (!publicKey) {
    publicKey = x25519.getPublicKey(privateKey);
    publicKeys.set(privateKey, publicKey);
  }
  return publicKey;
}

function frame(enc: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const out = new Uint8Array(enc.length + ciphertext.length);
  out.set(enc, 0);
  out.set(ciphertext, enc.length);
  return out;
}

function split(sealed: Uint8Array): { enc: Uint8Array; ciphertext: Uint8Array } {
  if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_OVERHEAD) {
    throw new SealError("too_short", `A sealed record is at least ${SEAL_OVERHEAD} bytes.`);
  }
  return { enc: sealed.subarray(0, ENC_LENGTH), ciphertext: sealed.subarray(ENC_LENGTH) };
}

function encrypt(sharedSecret: Uint8Array, info: Uint8Array, aad: Uint8Array | undefined, plaintext: Uint8Array): Uint8Array {
  const ks = schedule(sharedSecret, info);
  return chacha20poly1305(ks.key(), ks.nonce(), aad ?? EMPTY).encrypt(plaintext);
}

function decrypt(sharedSecret: Uint8Array, info: Uint8Array, aad: Uint8Array | undefined, ciphertext: Uint8Array): Uint8Array {
  const ks = schedule(sharedSecret, info);
  try {
    return chacha20poly1305(ks.key(), ks.nonce(), aad ?? EMPTY).decrypt(ciphertext);
  } catch {
    throw new SealError("open_failed", "This record does not open with this key, info and aad: wrong key, or altered.");
  }
}

/**
 * Seals with a given ephemeral key pair. Only the test vectors choose the ephemeral key; everything
 * else calls `seal`, which makes a fresh one each time (reusing one would link records).
 */
export function sealWithEphemeral(
  ephemeral: SealKeyPair,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  info: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  checkPublic(recipientPublicKey);
  const dh = dhSync(ephemeral.privateKey, recipientPublicKey, "recipient");
  const sharedSecret = X25519_DHKEM.sharedSecret(dh, ephemeral.publicKey, recipientPublicKey);
  return frame(ephemeral.publicKey, encrypt(sharedSecret, info, aad, plaintext));
}

/**
 * Seals `plaintext` to a recipient's X25519 public key (HPKE base mode). `info` binds the record to
 * its purpose (e.g. one petition), `aad` to data sent beside it; opening needs both unchanged.
 * Synchronous, pure JavaScript: ~3 ms on a slow core (two X25519 operations); `sealAsync` uses
 * WebCrypto's X25519 where the platform has it (~0.4 ms) and gives the same format.
 *
 * @example
 * const sealed = seal(org.publicKey, new TextEncoder().encode(json), petitionSealInfo(petitionId));
 */
export function seal(recipientPublicKey: Uint8Array, plaintext: Uint8Array, info: Uint8Array, aad?: Uint8Array): Uint8Array {
  checkPublic(recipientPublicKey);
  return sealWithEphemeral(generateSealKeyPair(), recipientPublicKey, plaintext, info, aad);
}

/** Opens what `seal` made; throws `SealError` on any failure (nothing partial is returned). */
export function open(recipientPrivateKey: Uint8Array, sealed: Uint8Array, info: Uint8Array, aad?: Uint8Array): Uint8Array {
  checkPrivate(recipientPrivateKey);
  const { enc, ciphertext } = split(sealed);
  const dh = dhSync(recipientPrivateKey, enc, "enc");
  const sharedSecret = X25519_DHKEM.sharedSecret(dh, enc, publicKeyOf(recipientPrivateKey));
  return decrypt(sharedSecret, info, aad, ciphertext);
}

/** `seal`, with X25519 on WebCrypto when available (about 8x faster; for bulk work and benchmarks). */
export async function sealAsync(recipientPublicKey: Uint8Array, plaintext: Uint8Array, info: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
  checkPublic(recipientPublicKey);
  const { x25519: ops } = await asymmetricOps();
  const ephemeral = await ops.generateKeyPair();
  let dh: Uint8Array;
  try {
    dh = await ops.sharedSecret(ephemeral.privateKey, recipientPublicKey);
  } catch {
    throw new SealError("bad_public_key", "This public key cannot be used (low-order point).");
  }
  const sharedSecret = X25519_DHKEM.sharedSecret(dh, ephemeral.publicKey, recipientPublicKey);
  return frame(ephemeral.publicKey, encrypt(sharedSecret, info, aad, plaintext));
}

/** `open`, with X25519 on WebCrypto when available (for decrypting long lists of records). */
export async function openAsync(recipientPrivateKey: Uint8Array, sealed: Uint8Array, info: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
  checkPrivate(recipientPrivateKey);
  const { enc, ciphertext } = split(sealed);
  const { x25519: ops } = await asymmetricOps();
  let dh: Uint8Array;
  let publicKey: Uint8Array;
  try {
    [dh, publicKey] = await Promise.all([ops.sharedSecret(recipientPrivateKey, enc), ops.publicKeyOf(recipientPrivateKey)]);
  } catch {
    throw new SealError("open_failed", "This record does not open with this key: its encapsulated key is not usable.");
  }
  return decrypt(X25519_DHKEM.sharedSecret(dh, enc, publicKey), info, aad, ciphertext);
}
