/**
 * Record sealing (src/sealing): RFC 9180's test vectors for DHKEM(X25519, HKDF-SHA256) /
 * HKDF-SHA256 / ChaCha20-Poly1305 (Appendix A.2.1, base mode), @hpke/core in both directions, and
 * properties: round trips, any altered byte, a wrong info, aad or key, all refused with SealError.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Chacha20Poly1305 } from "@hpke/chacha20poly1305";
import { CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import fc from "fast-check";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hpkeKeySchedule } from "../src/mls/crypto/hpke.ts";
import {
  SEAL_OVERHEAD,
  SealError,
  deriveSealKeyPair,
  generateSealKeyPair,
  open,
  openAsync,
  seal,
  sealAsync,
  sealPublicKeyOf,
} from "../src/index.ts";
import { sealWithEphemeral } from "../src/sealing/hpke-seal.ts";
import { hex } from "./mls-helpers.ts";

interface Vector {
  mode: number;
  kem_id: number;
  kdf_id: number;
  aead_id: number;
  info: string;
  ikmE: string;
  pkEm: string;
  skEm: string;
  ikmR: string;
  pkRm: string;
  skRm: string;
  enc: string;
  shared_secret: string;
  key: string;
  base_nonce: string;
  exporter_secret: string;
  encryptions: { sequence_number: number; pt: string; aad: string; nonce: string; ct: string }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}

const vectors = JSON.parse(readFileSync(new URL("./vectors/hpke-x25519-chacha20poly1305.json", import.meta.url), "utf8")) as Vector[];
const bytes = (text: string) => new TextEncoder().encode(text);
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

function sealError(reason: SealError["reason"]) {
  return (error: unknown) => error instanceof SealError && error.reason === reason;
}

describe("RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base mode", () => {
  for (const v of vectors) {
    it("derives the published key pairs, shared secret, key, nonce and exporter secret", () => {
      assert.deepEqual([v.mode, v.kem_id, v.kdf_id, v.aead_id], [0, 0x20, 1, 3]);
      const recipient = deriveSealKeyPair(hex(v.ikmR));
      assert.deepEqual(recipient.privateKey, hex(v.skRm));
      assert.deepEqual(recipient.publicKey, hex(v.pkRm));
      const ephemeral = deriveSealKeyPair(hex(v.ikmE));
      assert.deepEqual(ephemeral.privateKey, hex(v.skEm));
      assert.deepEqual(ephemeral.publicKey, hex(v.pkEm));
      assert.deepEqual(sealPublicKeyOf(hex(v.skRm)), hex(v.pkRm));
      const ks = hpkeKeySchedule(0x20, "HKDF-SHA256", 3, 32);
      const context = ks.keySchedule(hex(v.shared_secret), hex(v.info));
      assert.deepEqual(context.key(), hex(v.key));
      assert.deepEqual(context.nonce(), hex(v.base_nonce));
      assert.deepEqual(context.exporter(), hex(v.exporter_secret));
      for (const e of v.exports) assert.deepEqual(ks.exportFrom(hex(v.exporter_secret), hex(e.exporter_context), e.L), hex(e.exported_value));
    });

    it("seals the first encryption exactly, with the published ephemeral key, and opens it", () => {
      const first = v.encryptions.find((e) => e.sequence_number === 0)!;
      const ephemeral = { privateKey: hex(v.skEm), publicKey: hex(v.pkEm) };
      const sealed = sealWithEphemeral(ephemeral, hex(v.pkRm), hex(first.pt), hex(v.info), hex(first.aad));
      assert.deepEqual(sealed, concat(hex(v.enc), hex(first.ct)));
      assert.deepEqual(open(hex(v.skRm), sealed, hex(v.info), hex(first.aad)), hex(first.pt));
    });

    it("opens the published first ciphertext, synchronously and on WebCrypto", async () => {
      const first = v.encryptions.find((e) => e.sequence_number === 0)!;
      const sealed = concat(hex(v.enc), hex(first.ct));
      assert.deepEqual(open(hex(v.skRm), sealed, hex(v.info), hex(first.aad)), hex(first.pt));
      assert.deepEqual(await openAsync(hex(v.skRm), sealed, hex(v.info), hex(first.aad)), hex(first.pt));
    });

    it("the AEAD gives every published ciphertext from the published key and nonces (later sequence numbers)", () => {
      // single-shot sealing only ever uses sequence 0; the others check the AEAD and nonce arithmetic
      for (const e of v.encryptions) {
        const nonce = hex(v.base_nonce);
        for (let i = 0, seq = e.sequence_number; i < 8; i++, seq = Math.floor(seq / 256)) nonce[nonce.length - 1 - i]! ^= seq & 0xff;
        assert.deepEqual(nonce, hex(e.nonce));
        assert.deepEqual(chacha20poly1305(hex(v.key), nonce, hex(e.aad)).encrypt(hex(e.pt)), hex(e.ct));
      }
    });
  }
});

describe("sealing against @hpke/core (with @hpke/chacha20poly1305), both directions", () => {
  const them = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });

  it("ours seals, theirs opens; theirs seals, ours opens — for random plaintexts, info and aad", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), async (pt, info, aad) => {
        const theirPair = await them.kem.generateKeyPair();
        const theirPublic = new Uint8Array(await them.kem.serializePublicKey(theirPair.publicKey));
        for (const sealed of [seal(theirPublic, pt, info, aad), await sealAsync(theirPublic, pt, info, aad)]) {
          const opened = await them.open({ recipientKey: theirPair.privateKey, enc: sealed.slice(0, 32), info }, sealed.slice(32), aad);
          assert.deepEqual(new Uint8Array(opened), pt);
        }
        const ours = generateSealKeyPair();
        const theirs = await them.seal({ recipientPublicKey: await them.kem.deserializePublicKey(ours.publicKey), info }, pt, aad);
        const sealed = concat(new Uint8Array(theirs.enc), new Uint8Array(theirs.ct));
        assert.deepEqual(open(ours.privateKey, sealed, info, aad), pt);
        assert.deepEqual(await openAsync(ours.privateKey, sealed, info, aad), pt);
      }),
      { numRuns: 25 },
    );
  });

  it("DeriveKeyPair agrees", async () => {
    const ikm = crypto.getRandomValues(new Uint8Array(32));
    const theirs = await them.kem.deriveKeyPair(ikm);
    assert.deepEqual(deriveSealKeyPair(ikm).publicKey, new Uint8Array(await them.kem.serializePublicKey(theirs.publicKey)));
  });
});

describe("seal and open", () => {
  const pair = generateSealKeyPair();
  const info = bytes("commune petition p1");

  it("a sealed record is enc ‖ ciphertext ‖ tag, and two seals of one plaintext differ", () => {
    const pt = bytes("Rosa Luxemburg, rosa@example.org");
    const a = seal(pair.publicKey, pt, info);
    const b = seal(pair.publicKey, pt, info);
    assert.equal(a.length, pt.length + SEAL_OVERHEAD);
    assert.notDeepEqual(a, b);
    assert.deepEqual(open(pair.privateKey, a, info), pt);
    assert.deepEqual(open(pair.privateKey, b, info), pt);
  });

  it("round-trips any plaintext, info and aad, sync and async in every combination", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ maxLength: 200 }), fc.option(fc.uint8Array({ maxLength: 200 }), { nil: undefined }), async (pt, inf, aad) => {
        const sync = seal(pair.publicKey, pt, inf, aad);
        const async = await sealAsync(pair.publicKey, pt, inf, aad);
        for (const sealed of [sync, async]) {
          assert.deepEqual(open(pair.privateKey, sealed, inf, aad), pt);
          assert.deepEqual(await openAsync(pair.privateKey, sealed, inf, aad), pt);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("refuses a record with any byte altered", () => {
    const pt = bytes("postal code 75011, keep me informed");
    const aad = bytes("key-1");
    const sealed = seal(pair.publicKey, pt, info, aad);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const altered = sealed.slice();
        altered[at]! ^= xor;
        assert.throws(() => open(pair.privateKey, altered, info, aad), sealError("open_failed"));
      }),
      { numRuns: 150 },
    );
  });

  it("refuses a truncated or extended record", () => {
    const sealed = seal(pair.publicKey, bytes("comment"), info);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sealed.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), (cut, extra) => {
        const short = sealed.slice(0, cut);
        assert.throws(() => open(pair.privateKey, short, info), cut < SEAL_OVERHEAD ? sealError("too_short") : sealError("open_failed"));
        assert.throws(() => open(pair.privateKey, concat(sealed, extra), info), sealError("open_failed"));
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a wrong info, a wrong or missing aad, and a wrong key", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), async (inf, otherInfo, aad) => {
        fc.pre(!Buffer.from(inf).equals(Buffer.from(otherInfo)));
        const sealed = seal(pair.publicKey, bytes("signature"), inf, aad);
        assert.throws(() => open(pair.privateKey, sealed, otherInfo, aad), sealError("open_failed"));
        assert.throws(() => open(pair.privateKey, sealed, inf), sealError("open_failed"));
        assert.throws(() => open(pair.privateKey, sealed, inf, concat(aad, Uint8Array.of(0))), sealError("open_failed"));
        assert.throws(() => open(generateSealKeyPair().privateKey, sealed, inf, aad), sealError("open_failed"));
        await assert.rejects(openAsync(pair.privateKey, sealed, otherInfo, aad), sealError("open_failed"));
        await assert.rejects(openAsync(generateSealKeyPair().privateKey, sealed, inf, aad), sealError("open_failed"));
      }),
      { numRuns: 30 },
    );
  });

  it("refuses keys of the wrong length and low-order public keys", async () => {
    assert.throws(() => seal(new Uint8Array(31), bytes("x"), info), sealError("bad_public_key"));
    assert.throws(() => seal(new Uint8Array(33), bytes("x"), info), sealError("bad_public_key"));
    // the all-zero point and the other small-order points give an all-zero shared secret
    assert.throws(() => seal(new Uint8Array(32), bytes("x"), info), sealError("bad_public_key"));
    await assert.rejects(sealAsync(new Uint8Array(32), bytes("x"), info), sealError("bad_public_key"));
    assert.throws(() => open(new Uint8Array(16), seal(pair.publicKey, bytes("x"), info), info), sealError("bad_private_key"));
    // a record whose enc is a low-order point
    const forged = seal(pair.publicKey, bytes("x"), info);
    forged.fill(0, 0, 32);
    assert.throws(() => open(pair.privateKey, forged, info), sealError("open_failed"));
    await assert.rejects(openAsync(pair.privateKey, forged, info), sealError("open_failed"));
  });

  it("never throws anything but SealError on arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (junk, key) => {
        assert.throws(() => open(key, junk, info), (e: unknown) => e instanceof SealError);
        await assert.rejects(openAsync(key, junk, info), (e: unknown) => e instanceof SealError);
      }),
      { numRuns: 100 },
    );
  });
});
