/**
 * X-Wing (draft-connolly-cfrg-xwing-kem): ML-KEM-768 and X25519 combined with SHA3-256, as the KEM
 * of MLS suite 0x0053. Same construction and key formats as @hpke/hybridkem-x-wing 0.7.0 (which
 * ts-mls uses by default; the tests cross-check both ways), but with X25519 on WebCrypto where
 * available: @hpke's pure-JS X25519 was three quarters of each encapsulation (8.8 ms against
 * 1.8 ms here), and a removal in a large blank tree does one encapsulation per member.
 *
 * ML-KEM-768 comes from the `mlkem` package, the implementation @hpke/hybridkem-x-wing itself uses.
 */
import { sha3_256, shake256 } from "@noble/hashes/sha3.js";
import type { MlKemInterface } from "mlkem";
import type { X25519Ops } from "./asymmetric.ts";
import type { Kem } from "./hpke.ts";

const PK_M = 1184;
const CT_M = 1088;
// XWingLabel: "\.//^\"
const LABEL = Uint8Array.from([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

interface Expanded {
  readonly skM: Uint8Array;
  readonly skX: Uint8Array;
  readonly pkM: Uint8Array;
  readonly pkX: Uint8Array;
}

export interface XWingKem extends Kem {
  /** Encapsulation with given randomness (64 bytes: ML-KEM's, then the X25519 ephemeral key), for test vectors. */
  encapDerand(publicKey: Uint8Array, eseed: Uint8Array): Promise<{ sharedSecret: Uint8Array; enc: Uint8Array }>;
}

export function xwing(x25519: X25519Ops): XWingKem {
  let mlkem: Promise<MlKemInterface> | undefined;
  const kem = () => (mlkem ??= import("mlkem").then((m) => m.createMlKem768()));
  // a node's private key is decapsulated with again and again within an epoch: expand it once
  const expandedCache = new WeakMap<Uint8Array, Expanded>();

  async function expand(sk: Uint8Array): Promise<Expanded> {
    if (sk.length !== 32) throw new Error("X-Wing private key must be 32 bytes");
    const cached = expandedCache.get(sk);
    if (cached) return cached;
    const expanded = shake256(sk, { dkLen: 96 });
    const [pkM, skM] = (await kem()).deriveKeyPair(expanded.subarray(0, 64));
    const skX = expanded.slice(64, 96);
    const result = { skM, skX, pkM, pkX: await x25519.publicKeyOf(skX) };
    expandedCache.set(sk, result);
    return result;
  }

  function combine(ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
    return sha3_256(concat(ssM, ssX, ctX, pkX, LABEL));
  }

  /** With `ephemeral` (a test vector's) or a fresh X25519 key pair that never leaves the backend. */
  async function encapWith(publicKey: Uint8Array, seedM: Uint8Array | undefined, ephemeral?: { privateKey: Uint8Array; publicKey: Uint8Array }) {
    if (publicKey.length !== PK_M + 32) throw new Error("X-Wing public key must be 1216 bytes");
    const pkM = publicKey.subarray(0, PK_M);
    const pkX = publicKey.subarray(PK_M);
    const { ephemeralPublicKey: ctX, sharedSecret: ssX } = ephemeral
      ? { ephemeralPublicKey: ephemeral.publicKey, sharedSecret: await x25519.sharedSecret(ephemeral.privateKey, pkX) }
      : await x25519.ephemeralExchange(pkX);
    const [ctM, ssM] = (await kem()).encap(pkM, seedM);
    return { sharedSecret: combine(ssM, ssX, ctX, pkX), enc: concat(ctM, ctX) };
  }

  async function keyPair(sk: Uint8Array) {
    const e = await expand(sk);
    return { privateKey: sk, publicKey: concat(e.pkM, e.pkX) };
  }

  return {
    id: 0x647a,
    privateKeyLength: 32,
    publicKeyLength: PK_M + 32,
    generateKeyPair: () => keyPair(crypto.getRandomValues(new Uint8Array(32))),
    // as @hpke/hybridkem-x-wing: the seed is SHAKE256(ikm, 32)
    deriveKeyPair: (ikm) => keyPair(shake256(ikm, { dkLen: 32 })),
    encap: (publicKey) => encapWith(publicKey, undefined),
    async encapDerand(publicKey, eseed) {
      if (eseed.length !== 64) throw new Error("X-Wing encapsulation seed must be 64 bytes");
      const privateKey = eseed.slice(32);
      return encapWith(publicKey, eseed.slice(0, 32), { privateKey, publicKey: await x25519.publicKeyOf(privateKey) });
    },
    async decap(enc, privateKey) {
      if (enc.length !== CT_M + 32) throw new Error("X-Wing ciphertext must be 1120 bytes");
      const e = await expand(privateKey);
      const ctX = enc.subarray(CT_M);
      const ssM = (await kem()).decap(enc.subarray(0, CT_M), e.skM);
      const ssX = await x25519.sharedSecret(e.skX, ctX);
      return combine(ssM, ssX, ctX, e.pkX);
    },
  };
}
