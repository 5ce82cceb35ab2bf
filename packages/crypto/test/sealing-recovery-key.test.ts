/**
 * Recovery keys: shape, determinism of the derived key pair, tolerant reading (case, spaces,
 * hyphens, the letters Crockford reads as digits), and refusal of typos by the checksum.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RECOVERY_KEY_LENGTH, RecoveryKeyError, generateRecoveryKey, open, parseRecoveryKey, recoveryKeyPair, seal } from "../src/index.ts";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const problem = (p: RecoveryKeyError["problem"]) => (e: unknown) => e instanceof RecoveryKeyError && e.problem === p;

describe("recovery keys", () => {
  it("are 14 groups of 4 Crockford characters, and differ each time", () => {
    const a = generateRecoveryKey();
    const b = generateRecoveryKey();
    assert.match(a, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}$/);
    assert.equal(a.replaceAll("-", "").length, RECOVERY_KEY_LENGTH);
    assert.notEqual(a, b);
    assert.equal(parseRecoveryKey(a).length, 32);
  });

  it("give the same key pair every time, and different keys give different pairs", () => {
    const key = generateRecoveryKey();
    const one = recoveryKeyPair(key);
    const two = recoveryKeyPair(key);
    assert.deepEqual(one, two);
    assert.notDeepEqual(recoveryKeyPair(generateRecoveryKey()).publicKey, one.publicKey);
    const sealed = seal(one.publicKey, new TextEncoder().encode("org private key"), new TextEncoder().encode("recovery"));
    assert.equal(new TextDecoder().decode(open(two.privateKey, sealed, new TextEncoder().encode("recovery"))), "org private key");
  });

  it("read the same whatever the case, spacing and separators, and with I, L, O for 1, 1, 0", () => {
    fc.assert(
      fc.property(fc.constantFrom(...["lower", "upper", "spaces", "none", "lines", "confusables"] as const), (style) => {
        const key = generateRecoveryKey();
        const compact = key.replaceAll("-", "");
        let typed: string;
        switch (style) {
          case "lower":
            typed = key.toLowerCase();
            break;
          case "upper":
            typed = key;
            break;
          case "spaces":
            typed = compact.match(/.{1,4}/g)!.join("  ");
            break;
          case "none":
            typed = ` ${compact}\n`;
            break;
          case "lines":
            typed = compact.match(/.{1,7}/g)!.join("\n");
            break;
          case "confusables":
            typed = compact.replaceAll("1", "l").replaceAll("0", "O");
            break;
        }
        assert.deepEqual(recoveryKeyPair(typed), recoveryKeyPair(key));
      }),
      { numRuns: 40 },
    );
  });

  it("refuse any single mistyped character by the checksum", () => {
    const key = generateRecoveryKey().replaceAll("-", "");
    const base = recoveryKeyPair(key);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: key.length - 1 }), fc.integer({ min: 1, max: ALPHABET.length - 1 }), (at, shift) => {
        const was = ALPHABET.indexOf(key[at]!);
        const typo = key.slice(0, at) + ALPHABET[(was + shift) % ALPHABET.length] + key.slice(at + 1);
        // a change in the checksum part always mismatches; one in the key part slips through 1 time in 2^24
        assert.throws(() => recoveryKeyPair(typo), problem("checksum"));
      }),
      { numRuns: 200 },
    );
    assert.deepEqual(recoveryKeyPair(key), base);
  });

  it("refuse swapped neighbours", () => {
    const key = generateRecoveryKey().replaceAll("-", "");
    for (let i = 0; i + 1 < key.length; i++) {
      if (key[i] === key[i + 1]) continue;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      assert.throws(() => recoveryKeyPair(swapped), problem("checksum"));
    }
  });

  it("refuse the wrong length and foreign characters as a format problem, never another error", () => {
    const key = generateRecoveryKey();
    assert.throws(() => recoveryKeyPair(key.slice(0, -1)), problem("format"));
    assert.throws(() => recoveryKeyPair(`${key}A`), problem("format"));
    assert.throws(() => recoveryKeyPair(key.replace(/[0-9A-Z]$/, "U")), problem("format"));
    assert.throws(() => recoveryKeyPair(""), problem("format"));
    assert.throws(() => recoveryKeyPair(null as unknown as string), problem("format"));
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          recoveryKeyPair(text);
        } catch (error) {
          assert.ok(error instanceof RecoveryKeyError, String(error));
        }
      }),
      { numRuns: 300 },
    );
  });
});
