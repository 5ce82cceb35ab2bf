/** Safety numbers: Signal's construction, checked against a second implementation on node:crypto. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatSafetyNumber, safetyNumber, safetyQrPayload, verifySafetyQr, type SafetyIdentity } from "../src/mls/index.ts";

const key = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 7) & 0xff);

/** libsignal's NumericFingerprintGenerator, written out again independently. */
function reference(id: string, keys: Uint8Array[]): string {
  const pub = Buffer.concat([...keys].sort(Buffer.compare).map((k) => Buffer.from(k)));
  let hash: Buffer = Buffer.concat([Buffer.from([0, 0]), pub, Buffer.from(id, "utf8")]);
  for (let i = 0; i < 5200; i++) hash = createHash("sha512").update(hash).update(pub).digest();
  let out = "";
  for (let i = 0; i < 30; i += 5) out += String(hash.readUIntBE(i, 5) % 100000).padStart(5, "0");
  return out;
}

describe("safety numbers", () => {
  const alice: SafetyIdentity = { id: "acc_alice", keys: key(1) };
  const bob: SafetyIdentity = { id: "acc_bob", keys: [key(2), key(3)] };

  it("are 60 digits, the same from both sides, and match the reference construction", () => {
    const n = safetyNumber(alice, bob);
    assert.match(n, /^\d{60}$/);
    assert.equal(safetyNumber(bob, alice), n);
    const halves = [reference("acc_alice", [key(1)]), reference("acc_bob", [key(2), key(3)])].sort();
    assert.equal(n, halves.join(""));
  });

  it("are stable: a known answer", () => {
    assert.equal(
      safetyNumber({ id: "alice", keys: new Uint8Array(32).fill(1) }, { id: "bob", keys: new Uint8Array(32).fill(2) }),
      KNOWN_ANSWER,
    );
  });

  it("do not depend on the order of a person's device keys, and change with any key or id", () => {
    assert.equal(safetyNumber(alice, { id: "acc_bob", keys: [key(3), key(2)] }), safetyNumber(alice, bob));
    const base = safetyNumber(alice, bob);
    assert.notEqual(safetyNumber(alice, { id: "acc_bob", keys: [key(2)] }), base); // a device less
    assert.notEqual(safetyNumber(alice, { id: "acc_bob", keys: [key(2), key(4)] }), base); // a new key
    assert.notEqual(safetyNumber(alice, { id: "acc_bobby", keys: [key(2), key(3)] }), base);
  });

  it("format as twelve groups of five", () => {
    const f = formatSafetyNumber(safetyNumber(alice, bob));
    assert.match(f, /^(\d{5} ){11}\d{5}$/);
  });

  it("QR payloads verify from the other side only, with the same keys", () => {
    const fromAlice = safetyQrPayload(alice, bob);
    assert.equal(fromAlice.length, 90);
    assert.equal(verifySafetyQr(fromAlice, bob, alice), true);
    assert.equal(verifySafetyQr(fromAlice, alice, bob), false); // one's own code
    assert.equal(verifySafetyQr(fromAlice, { id: "acc_bob", keys: [key(2)] }, alice), false);
    assert.equal(verifySafetyQr("CSN1" + "A".repeat(86), bob, alice), false);
    assert.equal(verifySafetyQr("nonsense", bob, alice), false);
  });

  it("never collide for different keys in a sample (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        fc.pre(!a.every((x, i) => x === b[i]));
        assert.notEqual(safetyNumber({ id: "p", keys: a }, alice), safetyNumber({ id: "p", keys: b }, alice));
      }),
      { numRuns: 8 },
    );
  });

  it("refuse an identity without keys", () => {
    assert.throws(() => safetyNumber({ id: "x", keys: [] }, alice), TypeError);
  });
});

// computed once, and equal to the reference construction above; a change here changes every user's number
const KNOWN_ANSWER = "019675601684161937029905244989023894893341874006419703186220";
