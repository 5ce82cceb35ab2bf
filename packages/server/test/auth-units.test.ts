import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateLimiter } from "../src/auth/rate-limiter.ts";
import { describeClient } from "@commune/protocol";
import { checkUsername, skeleton } from "../src/auth/usernames.ts";
import { hashToken, newId, newToken } from "../src/auth/tokens.ts";

describe("username skeletons", () => {
  it("maps look-alikes from other scripts and digits onto the same skeleton", () => {
    assert.equal(skeleton("admin"), skeleton("аdmin")); // Cyrillic а
    assert.equal(skeleton("paypal"), skeleton("раураl")); // Cyrillic р а у
    assert.equal(skeleton("rn"), skeleton("m"));
    assert.equal(skeleton("l0l"), skeleton("lol"));
    assert.notEqual(skeleton("rosa"), skeleton("karl"));
  });

  it("normalizes width, case and compatibility forms before comparing", () => {
    const a = checkUsername("Ｒｏｓａ");
    const b = checkUsername("rosa");
    assert.ok(a.ok && b.ok);
    assert.equal(a.key, b.key);
    assert.equal(a.display, "Rosa");
  });

  it("accepts names in Japanese and Arabic, refuses bidi controls and mixed alphabets", () => {
    for (const name of ["山田太郎", "やまだ", "سارة", "Zoë", "jean-luc", "ana.maria"]) assert.equal(checkUsername(name).ok, true, name);
    const refused: Array<[string, string]> = [
      ["ad\u200Dmin", "invisible_or_control"],
      ["admin\u202E", "invisible_or_control"],
      ["pаypal", "mixed_scripts"],
      ["a b", "invisible_or_control"],
      ["-rosa", "bad_edge"],
      ["ro..sa", "bad_edge"],
      ["x", "too_short"],
      ["a".repeat(33), "too_long"],
      ["rosa!", "bad_character"],
    ];
    for (const [name, problem] of refused) {
      const r = checkUsername(name);
      assert.equal(r.ok, false, name);
      if (!r.ok) assert.equal(r.problem, problem, name);
    }
  });
});

describe("rate limiter", () => {
  it("allows the limit within a window, then tells how long to wait, then resets", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    assert.equal(limiter.hit("k"), null);
    assert.equal(limiter.hit("k"), null);
    assert.equal(limiter.hit("k"), null);
    assert.equal(limiter.hit("k"), 60);
    now = 30_000;
    assert.equal(limiter.hit("k"), 30);
    assert.equal(limiter.hit("other"), null);
    now = 60_000;
    assert.equal(limiter.hit("k"), null);
    limiter.hit("k");
    limiter.hit("k");
    limiter.reset("k");
    assert.equal(limiter.hit("k"), null);
  });
});

describe("client descriptions and tokens", () => {
  it("describes a session by browser and system only", () => {
    assert.equal(describeClient("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0"), "Firefox on Android");
    assert.equal(describeClient("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"), "Chrome on Linux");
    assert.equal(describeClient(undefined), "unknown");
    assert.equal(describeClient("x".repeat(100_000)), "unknown");
  });

  it("makes 256-bit tokens, 128-bit ids, and stores tokens only hashed", () => {
    assert.match(newToken(), /^[A-Za-z0-9_-]{43}$/);
    assert.match(newId(), /^[A-Za-z0-9_-]{22}$/);
    const t = newToken();
    assert.equal(hashToken(t), hashToken(t));
    assert.notEqual(hashToken(t), t);
    assert.notEqual(newToken(), newToken());
  });
});
