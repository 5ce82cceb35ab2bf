/**
 * HPKE (RFC 9180), base mode, single-shot seal/open and secret export — what MLS uses — over a KEM
 * of our choice, with the key schedule on synchronous noble HKDF and AES-GCM. The KEMs:
 * DHKEM(X25519, HKDF-SHA256) (§4.1, here on WebCrypto or noble X25519) and X-Wing (xwing.ts).
 *
 * Checked against the MLS interop vectors (crypto-basics: encrypt_with_label) and, in both
 * directions, against @hpke/core (test/mls-crypto.test.ts).
 */
import { expand, extract } from "@noble/hashes/hkdf.js";
import type { AeadAlgorithm, Hpke, KdfAlgorithm, PrivateKey, PublicKey } from "ts-mls";
import type { X25519Ops } from "./asymmetric.ts";
import { aesGcmOpen, aesGcmSeal, kdfHash, type NobleHash } from "./symmetric.ts";

const encoder = new TextEncoder();
const HPKE_V1 = encoder.encode("HPKE-v1");

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function i2osp(n: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = n & 0xff;
    n >>>= 8;
  }
  return out;
}

function labeledExtract(h: NobleHash, suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(h, concat(HPKE_V1, suiteId, encoder.encode(label), ikm), salt);
}

function labeledExpand(h: NobleHash, suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  return expand(h, prk, concat(i2osp(length, 2), HPKE_V1, suiteId, encoder.encode(label), info), length);
}

/** A KEM as RFC 9180 §4 defines it, keys as bytes. */
export interface Kem {
  readonly id: number;
  readonly privateKeyLength: number;
  readonly publicKeyLength: number;
  generateKeyPair(): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }>;
  deriveKeyPair(ikm: Uint8Array): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }>;
  encap(publicKey: Uint8Array): Promise<{ sharedSecret: Uint8Array; enc: Uint8Array }>;
  decap(enc: Uint8Array, privateKey: Uint8Array): Promise<Uint8Array>;
}

/**
 * The key derivations of DHKEM(X25519, HKDF-SHA256) (RFC 9180 §4.1 and §7.1.3), synchronous and
 * without the Diffie-Hellman itself: shared by the KEM below and by record sealing (src/sealing).
 */
export const X25519_DHKEM = (() => {
  const id = 0x0020;
  const suiteId = concat(encoder.encode("KEM"), i2osp(id, 2));
  const h = kdfHash("HKDF-SHA256");
  const empty = new Uint8Array();
  return {
    id,
    /** DeriveKeyPair's private key (§7.1.3); X25519 takes any 32 bytes as a scalar. */
    derivePrivateKey: (ikm: Uint8Array): Uint8Array => labeledExpand(h, suiteId, labeledExtract(h, suiteId, empty, "dkp_prk", ikm), "sk", empty, 32),
    /** ExtractAndExpand(dh, enc ‖ pkR): the KEM's shared secret. */
    sharedSecret: (dh: Uint8Array, enc: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array =>
      labeledExpand(h, suiteId, labeledExtract(h, suiteId, empty, "eae_prk", dh), "shared_secret", concat(enc, recipientPublicKey), 32),
  };
})();

/** DHKEM(X25519, HKDF-SHA256), RFC 9180 §4.1 and §7.1.3. */
export function dhkemX25519(dh: X25519Ops): Kem {
  return {
    id: X25519_DHKEM.id,
    privateKeyLength: 32,
    publicKeyLength: 32,
    generateKeyPair: () => dh.generateKeyPair(),
    async deriveKeyPair(ikm) {
      const privateKey = X25519_DHKEM.derivePrivateKey(ikm);
      return { privateKey, publicKey: await dh.publicKeyOf(privateKey) };
    },
    async encap(publicKey) {
      const { ephemeralPublicKey, sharedSecret } = await dh.ephemeralExchange(publicKey);
      return { sharedSecret: X25519_DHKEM.sharedSecret(sharedSecret, ephemeralPublicKey, publicKey), enc: ephemeralPublicKey };
    },
    async decap(enc, privateKey) {
      const [shared, publicKey] = await Promise.all([dh.sharedSecret(privateKey, enc), dh.publicKeyOf(privateKey)]);
      return X25519_DHKEM.sharedSecret(shared, enc, publicKey);
    },
  };
}

const AEADS = {
  AES128GCM: { id: 0x0001, keyLength: 16 },
  AES256GCM: { id: 0x0002, keyLength: 32 },
} as const;
const KDF_IDS: Record<KdfAlgorithm, number> = { "HKDF-SHA256": 0x0001, "HKDF-SHA384": 0x0002, "HKDF-SHA512": 0x0003 };

/**
 * From this size on, AES-GCM goes to WebCrypto: pure JS does ~5 MB/s here, and a Welcome's
 * GroupInfo (the whole tree) is 300 kB at 1,000 members. Small messages stay synchronous.
 */
const BIG = 32 * 1024;

async function bigAesGcm(op: "encrypt" | "decrypt", key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return op === "encrypt" ? aesGcmSeal(key, nonce, aad, data) : aesGcmOpen(key, nonce, aad, data);
  const own = (b: Uint8Array) => (b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b));
  const k = await subtle.importKey("raw", own(key), { name: "AES-GCM" }, false, [op]);
  const params = { name: "AES-GCM", iv: own(nonce), additionalData: own(aad), tagLength: 128 };
  return new Uint8Array(op === "encrypt" ? await subtle.encrypt(params, k, own(data)) : await subtle.decrypt(params, k, own(data)));
}

export class HpkeError extends Error {
  override readonly name = "HpkeError";
}

// ts-mls types its HPKE keys as CryptoKey; ours are plain bytes behind that name (ts-mls only
// passes them back to this object).
interface KeyBox {
  readonly type: "public" | "private";
  readonly bytes: Uint8Array;
}
const box = <T extends PublicKey | PrivateKey>(type: KeyBox["type"], bytes: Uint8Array) => ({ type, bytes }) as KeyBox as unknown as T;
const unbox = (key: PublicKey | PrivateKey, type: KeyBox["type"]): Uint8Array => {
  const k = key as unknown as Partial<KeyBox>;
  if (k.type !== type || !(k.bytes instanceof Uint8Array)) throw new HpkeError(`expected an HPKE ${type} key of this suite`);
  return k.bytes;
};

/** Byte equality of public data, 4 bytes at a time when both are aligned. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wa[i] !== wb[i]) return false;
    i = words * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** RFC 9180 §5.1 KeySchedule for mode_base, and §5.3 Export (exported for the test vectors). */
export function hpkeKeySchedule(kemId: number, kdf: KdfAlgorithm, aeadId: number, keyLength: number) {
  const h = kdfHash(kdf);
  const suiteId = concat(encoder.encode("HPKE"), i2osp(kemId, 2), i2osp(KDF_IDS[kdf], 2), i2osp(aeadId, 2));
  const empty = new Uint8Array();
  const pskIdHash = labeledExtract(h, suiteId, empty, "psk_id_hash", empty);
  // MLS seals to many recipients with the same `info`: a Welcome's group secrets to each new
  // member (the encrypted GroupInfo with the whole tree: ~300 kB at 1,000 members; hashing it once
  // per member made a batch add quadratic, 21 s for 2,000 members), a commit's path secret to each
  // node of its copath's resolution (up to N-1 of them in a blank tree). Comparing bytes is ~20x
  // cheaper than hashing them again.
  let lastInfo: { info: Uint8Array; hash: Uint8Array } | undefined;
  const infoHash = (info: Uint8Array): Uint8Array => {
    if (lastInfo && sameBytes(lastInfo.info, info)) return lastInfo.hash;
    const hash = labeledExtract(h, suiteId, empty, "info_hash", info);
    lastInfo = { info: info.slice(), hash };
    return hash;
  };
  return {
    keySchedule(sharedSecret: Uint8Array, info: Uint8Array) {
      const context = concat(Uint8Array.of(0), pskIdHash, infoHash(info));
      const secret = labeledExtract(h, suiteId, sharedSecret, "secret", empty);
      return {
        key: () => labeledExpand(h, suiteId, secret, "key", context, keyLength),
        nonce: () => labeledExpand(h, suiteId, secret, "base_nonce", context, 12),
        exporter: () => labeledExpand(h, suiteId, secret, "exp", context, h.outputLen),
      };
    },
    exportFrom: (exporterSecret: Uint8Array, exporterContext: Uint8Array, length: number) =>
      labeledExpand(h, suiteId, exporterSecret, "sec", exporterContext, length),
  };
}

export function makeHpke(kem: Kem, kdf: KdfAlgorithm, aead: AeadAlgorithm): Hpke {
  if (aead !== "AES128GCM" && aead !== "AES256GCM") throw new HpkeError(`AEAD ${aead} is not supported here`);
  const { id: aeadId, keyLength } = AEADS[aead];
  const empty = new Uint8Array();

  const { keySchedule, exportFrom } = hpkeKeySchedule(kem.id, kdf, aeadId, keyLength);

  function checkPublic(bytes: Uint8Array): Uint8Array {
    if (bytes.length !== kem.publicKeyLength) throw new HpkeError(`HPKE public key must be ${kem.publicKeyLength} bytes`);
    return bytes;
  }
  async function decap(privateKey: PrivateKey, enc: Uint8Array): Promise<Uint8Array> {
    try {
      return await kem.decap(enc, unbox(privateKey, "private"));
    } catch (e) {
      throw new HpkeError(`HPKE decapsulation failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return {
    async seal(publicKey, plaintext, info, aad) {
      const { sharedSecret, enc } = await kem.encap(checkPublic(unbox(publicKey, "public")));
      const ks = keySchedule(sharedSecret, info);
      return { ct: aesGcmSeal(ks.key(), ks.nonce(), aad ?? empty, plaintext), enc };
    },
    async open(privateKey, kemOutput, ciphertext, info, aad) {
      const ks = keySchedule(await decap(privateKey, kemOutput), info);
      try {
        return aesGcmOpen(ks.key(), ks.nonce(), aad ?? empty, ciphertext);
      } catch {
        throw new HpkeError("HPKE open failed: wrong key or tampered ciphertext");
      }
    },
    async exportSecret(publicKey, exporterContext, length, info) {
      const { sharedSecret, enc } = await kem.encap(checkPublic(unbox(publicKey, "public")));
      return { enc, secret: exportFrom(keySchedule(sharedSecret, info).exporter(), exporterContext, length) };
    },
    async importSecret(privateKey, exporterContext, kemOutput, length, info) {
      return exportFrom(keySchedule(await decap(privateKey, kemOutput), info).exporter(), exporterContext, length);
    },
    async importPrivateKey(k) {
      if (k.length !== kem.privateKeyLength) throw new HpkeError(`HPKE private key must be ${kem.privateKeyLength} bytes`);
      return box<PrivateKey>("private", k);
    },
    async importPublicKey(k) {
      return box<PublicKey>("public", checkPublic(k));
    },
    async exportPublicKey(k) {
      return unbox(k, "public");
    },
    async exportPrivateKey(k) {
      return unbox(k, "private");
    },
    async encryptAead(key, nonce, aad, plaintext) {
      if (plaintext.length >= BIG) return bigAesGcm("encrypt", key, nonce, aad ?? empty, plaintext);
      return aesGcmSeal(key, nonce, aad ?? empty, plaintext);
    },
    async decryptAead(key, nonce, aad, ciphertext) {
      try {
        if (ciphertext.length >= BIG) return await bigAesGcm("decrypt", key, nonce, aad ?? empty, ciphertext);
        return aesGcmOpen(key, nonce, aad ?? empty, ciphertext);
      } catch {
        throw new HpkeError("AEAD open failed: wrong key or tampered ciphertext");
      }
    },
    async deriveKeyPair(ikm) {
      const p = await kem.deriveKeyPair(ikm);
      return { privateKey: box<PrivateKey>("private", p.privateKey), publicKey: box<PublicKey>("public", p.publicKey) };
    },
    async generateKeyPair() {
      const p = await kem.generateKeyPair();
      return { privateKey: box<PrivateKey>("private", p.privateKey), publicKey: box<PublicKey>("public", p.publicKey) };
    },
    keyLength,
    nonceLength: 12,
  };
}
