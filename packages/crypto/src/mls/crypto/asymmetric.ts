/**
 * X25519 and Ed25519: WebCrypto when the platform has them (Node ≥ 20, current browsers), @noble
 * otherwise. Unlike hashing, these are worth a round trip to native code: on the 2-core benchmark
 * machine an X25519 exchange took ~160 µs through WebCrypto and ~2 ms in pure JS, an Ed25519
 * verification ~320 µs against ~4 ms.
 *
 * Private keys travel as raw 32-byte strings (RFC 7748 scalar, RFC 8032 seed) so that MLS state
 * saved under one backend loads under the other.
 */
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { fromBase64Url } from "../../encoding.ts";

const X25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const ED25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

export type Backend = "webcrypto" | "noble";

export interface KeyPairBytes {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface X25519Ops {
  readonly backend: Backend;
  generateKeyPair(): Promise<KeyPairBytes>;
  publicKeyOf(privateKey: Uint8Array): Promise<Uint8Array>;
  /** Throws when the result is all zeros (a low-order public key), as RFC 9180 requires. */
  sharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  /**
   * A fresh key pair's exchange with `publicKey` (an HPKE encapsulation's): the ephemeral public
   * key and the shared secret. The private key is used once and never leaves the backend.
   */
  ephemeralExchange(publicKey: Uint8Array): Promise<{ readonly ephemeralPublicKey: Uint8Array; readonly sharedSecret: Uint8Array }>;
}

export interface Ed25519Ops {
  readonly backend: Backend;
  generateKeyPair(): Promise<KeyPairBytes>;
  sign(privateKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** false, never a throw, for a malformed key or signature */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** The 32-byte key inside a PKCS#8 Ed25519/X25519 key, or the key itself when already raw. */
export function rawPrivateKey(key: Uint8Array): Uint8Array {
  if (key.length === 32) return key;
  if (key.length === 48) return key.slice(16);
  throw new TypeError(`expected a 32-byte private key, got ${key.length} bytes`);
}

/** Small bounded cache of imported public keys: each member's key is verified again on every message. */
class KeyCache {
  readonly #map = new Map<string, CryptoKey>();
  readonly #limit: number;
  constructor(limit: number) {
    this.#limit = limit;
  }
  get(id: string): CryptoKey | undefined {
    return this.#map.get(id);
  }
  set(id: string, key: CryptoKey): void {
    if (this.#map.size >= this.#limit) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(id, key);
  }
}

function keyId(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const nobleX25519: X25519Ops = {
  backend: "noble",
  async generateKeyPair() {
    const privateKey = x25519.utils.randomSecretKey();
    return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
  },
  async publicKeyOf(privateKey) {
    return x25519.getPublicKey(privateKey);
  },
  async sharedSecret(privateKey, publicKey) {
    return x25519.getSharedSecret(privateKey, publicKey); // throws on an all-zero result
  },
  async ephemeralExchange(publicKey) {
    const privateKey = x25519.utils.randomSecretKey();
    return { ephemeralPublicKey: x25519.getPublicKey(privateKey), sharedSecret: x25519.getSharedSecret(privateKey, publicKey) };
  },
};

function webcryptoX25519(subtle: SubtleCrypto): X25519Ops {
  const alg = { name: "X25519" };
  const publicKeys = new KeyCache(4096);
  // ts-mls hands the same Uint8Array of a node's private key to every decryption in an epoch
  const privateKeys = new WeakMap<Uint8Array, CryptoKey>();
  const publicOf = new WeakMap<Uint8Array, Uint8Array>();
  async function importPrivate(raw: Uint8Array, extractable: boolean): Promise<CryptoKey> {
    return subtle.importKey("pkcs8", concat(X25519_PKCS8_PREFIX, raw), alg, extractable, ["deriveBits"]);
  }
  async function importPublic(raw: Uint8Array): Promise<CryptoKey> {
    const id = keyId(raw);
    let key = publicKeys.get(id);
    if (!key) {
      key = await subtle.importKey("raw", buffer(raw), alg, false, []);
      publicKeys.set(id, key);
    }
    return key;
  }
  async function exchange(privateKey: CryptoKey, publicKey: CryptoKey): Promise<Uint8Array> {
    const bits = new Uint8Array(await subtle.deriveBits({ name: "X25519", public: publicKey }, privateKey, 256));
    if (bits.every((b) => b === 0)) throw new Error("X25519: low-order public key");
    return bits;
  }
  return {
    backend: "webcrypto",
    async generateKeyPair() {
      const pair = (await subtle.generateKey(alg, true, ["deriveBits"])) as CryptoKeyPair;
      const [pkcs8, raw] = await Promise.all([subtle.exportKey("pkcs8", pair.privateKey), subtle.exportKey("raw", pair.publicKey)]);
      return { privateKey: new Uint8Array(pkcs8).slice(16), publicKey: new Uint8Array(raw) };
    },
    async publicKeyOf(privateKey) {
      const known = publicOf.get(privateKey);
      if (known) return known;
      const jwk = await subtle.exportKey("jwk", await importPrivate(privateKey, true));
      const pub = fromBase64Url(jwk.x!);
      publicOf.set(privateKey, pub);
      return pub;
    },
    async sharedSecret(privateKey, publicKey) {
      let priv = privateKeys.get(privateKey);
      if (!priv) {
        priv = await importPrivate(privateKey, false);
        privateKeys.set(privateKey, priv);
      }
      return exchange(priv, await importPublic(publicKey));
    },
    async ephemeralExchange(publicKey) {
      // an HPKE sender's key: exporting it as PKCS#8 and importing it again, as generateKeyPair
      // and sharedSecret would, took a third of a 1,000-member removal's ~1,000 encryptions
      const [pair, recipient] = await Promise.all([subtle.generateKey(alg, false, ["deriveBits"]) as Promise<CryptoKeyPair>, importPublic(publicKey)]);
      const [raw, sharedSecret] = await Promise.all([subtle.exportKey("raw", pair.publicKey), exchange(pair.privateKey, recipient)]);
      return { ephemeralPublicKey: new Uint8Array(raw), sharedSecret };
    },
  };
}

const nobleEd25519: Ed25519Ops = {
  backend: "noble",
  async generateKeyPair() {
    const privateKey = ed25519.utils.randomSecretKey();
    return { privateKey, publicKey: ed25519.getPublicKey(privateKey) };
  },
  async sign(privateKey, message) {
    return ed25519.sign(message, rawPrivateKey(privateKey));
  },
  async verify(publicKey, message, signature) {
    try {
      // zip215: false is RFC 8032's strict rule, the one WebCrypto (OpenSSL, BoringSSL) follows
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};

function webcryptoEd25519(subtle: SubtleCrypto): Ed25519Ops {
  const alg = { name: "Ed25519" };
  const publicKeys = new KeyCache(4096);
  const privateKeys = new WeakMap<Uint8Array, CryptoKey>();
  return {
    backend: "webcrypto",
    async generateKeyPair() {
      const pair = (await subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
      const [pkcs8, raw] = await Promise.all([subtle.exportKey("pkcs8", pair.privateKey), subtle.exportKey("raw", pair.publicKey)]);
      return { privateKey: new Uint8Array(pkcs8).slice(16), publicKey: new Uint8Array(raw) };
    },
    async sign(privateKey, message) {
      let key = privateKeys.get(privateKey);
      if (!key) {
        key = await subtle.importKey("pkcs8", concat(ED25519_PKCS8_PREFIX, rawPrivateKey(privateKey)), alg, false, ["sign"]);
        privateKeys.set(privateKey, key);
      }
      return new Uint8Array(await subtle.sign(alg, key, buffer(message)));
    },
    async verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        const id = keyId(publicKey);
        let key = publicKeys.get(id);
        if (!key) {
          key = await subtle.importKey("raw", buffer(publicKey), alg, false, ["verify"]);
          publicKeys.set(id, key);
        }
        return await subtle.verify(alg, key, buffer(signature), buffer(message));
      } catch {
        return false;
      }
    },
  };
}

async function works(test: () => Promise<unknown>): Promise<boolean> {
  try {
    await test();
    return true;
  } catch {
    return false;
  }
}

export interface AsymmetricOps {
  readonly x25519: X25519Ops;
  readonly ed25519: Ed25519Ops;
}

let detected: Promise<AsymmetricOps> | undefined;

/**
 * The fastest available implementation of each: WebCrypto if it can generate the key type
 * (checked once), else noble. `prefer: "noble"` forces pure JS (tests compare both).
 */
export function asymmetricOps(prefer: Backend | "auto" = "auto"): Promise<AsymmetricOps> {
  if (prefer === "noble") return Promise.resolve({ x25519: nobleX25519, ed25519: nobleEd25519 });
  const subtle = globalThis.crypto?.subtle;
  if (prefer === "webcrypto") {
    if (!subtle) return Promise.reject(new Error("WebCrypto is not available"));
    return Promise.resolve({ x25519: webcryptoX25519(subtle), ed25519: webcryptoEd25519(subtle) });
  }
  detected ??= (async () => {
    if (!subtle) return { x25519: nobleX25519, ed25519: nobleEd25519 };
    const [x, ed] = await Promise.all([
      works(() => subtle.generateKey({ name: "X25519" }, true, ["deriveBits"])),
      works(() => subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])),
    ]);
    return { x25519: x ? webcryptoX25519(subtle) : nobleX25519, ed25519: ed ? webcryptoEd25519(subtle) : nobleEd25519 };
  })();
  return detected;
}
