/**
 * Hash, HMAC, HKDF and AES-GCM on @noble (audited, pure JS, synchronous).
 *
 * ts-mls derives the whole secret tree (two HKDF expansions per node, 4,000 for a group of 1,000)
 * and hashes every tree node at each epoch change. Through WebCrypto each of those is a key import
 * plus an operation, two jobs sent to a thread pool and awaited: ~120 µs for one HMAC where noble
 * computes it in ~15 µs on the calling thread. The asynchronous round trips, not the arithmetic,
 * were most of the time of a commit (see docs/benchmarks.md, "mls").
 */
import { gcm } from "@noble/ciphers/aes.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
import type { CHash } from "@noble/hashes/utils.js";
import type { Hash, HashAlgorithm, Kdf, KdfAlgorithm } from "ts-mls";

export type NobleHash = CHash;

export function hashFunction(name: HashAlgorithm): NobleHash {
  switch (name) {
    case "SHA-256":
      return sha256;
    case "SHA-384":
      return sha384;
    case "SHA-512":
      return sha512;
  }
}

export function kdfHash(name: KdfAlgorithm): NobleHash {
  switch (name) {
    case "HKDF-SHA256":
      return sha256;
    case "HKDF-SHA384":
      return sha384;
    case "HKDF-SHA512":
      return sha512;
  }
}

/** Compares in time independent of where the arrays differ (length is not secret). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function makeHash(name: HashAlgorithm): Hash {
  const h = hashFunction(name);
  return {
    async digest(data) {
      return h(data);
    },
    async mac(key, data) {
      return hmac(h, key, data);
    },
    async verifyMac(key, mac, data) {
      return constantTimeEqual(mac, hmac(h, key, data));
    },
  };
}

export function makeKdf(name: KdfAlgorithm): Kdf {
  const h = kdfHash(name);
  return {
    async extract(salt, ikm) {
      return extract(h, ikm, salt);
    },
    async expand(prk, info, len) {
      // RFC 5869: when L <= HashLen, OKM = T(1) = HMAC(PRK, info || 0x01). One HMAC, no
      // block loop: ~15% off a commit, where ts-mls derives the whole secret tree
      if (len > h.outputLen) return expand(h, prk, info, len);
      const message = new Uint8Array(info.length + 1);
      message.set(info);
      message[info.length] = 1;
      const block = hmac(h, prk, message);
      return len === block.length ? block : block.slice(0, len);
    },
    size: h.outputLen,
  };
}

/** AES-GCM with a 16-byte tag; throws on a wrong tag (callers turn that into their own error). */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return gcm(key, nonce, aad).encrypt(plaintext);
}

export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return gcm(key, nonce, aad).decrypt(ciphertext);
}
