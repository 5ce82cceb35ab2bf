/**
 * The username rules: one normal form (NFKC, case-folded) that is stable, and a check that never
 * lets invisible, control, bidirectional or look-alike-script names through.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { USERNAME_MAX, USERNAME_MIN, normalizeUsername, usernameProblem, type UsernameProblem } from "../src/index.ts";

const PROBLEMS: readonly (UsernameProblem | null)[] = [null, "too_short", "too_long", "invisible_or_control", "bad_character", "bad_edge", "mixed_scripts"];

// Every kind of string: UTF-16 code units (lone surrogates included), whole code points, graphemes.
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "grapheme-composite", maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
);

const checked = (raw: string) => usernameProblem(normalizeUsername(raw));

// Every format character (zero-width joiners, bidi controls, tags…), control and separator.
const INVISIBLE: string[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  if (/[\p{Cf}\p{Cc}\p{Z}]/u.test(ch)) INVISIBLE.push(ch);
}

const latinName = fc
  .tuple(
    fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñøåçł"), { minLength: 2, maxLength: 12 }),
    fc.option(fc.constantFrom("_", ".", "-")),
    fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), { minLength: 1, maxLength: 8 }),
  )
  .map(([head, sep, tail]) => `${head.join("")}${sep ?? ""}${tail.join("")}`);

describe("normalizeUsername", () => {
  it("never throws, on any string", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        assert.equal(typeof normalizeUsername(s), "string");
      }),
      { numRuns: 2000 },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const once = normalizeUsername(s);
        assert.equal(normalizeUsername(once), once, JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
  });

  it("is idempotent on every single code point", () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = normalizeUsername(String.fromCodePoint(cp));
      if (normalizeUsername(once) !== once) assert.fail(`U+${cp.toString(16)}`);
    }
  });

  it("gives NFKC text that lower-casing leaves alone", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const n = normalizeUsername(s);
        assert.equal(n.normalize("NFKC"), n);
        assert.equal(n.toLowerCase(), n);
      }),
      { numRuns: 2000 },
    );
  });

  it("does not tell apart case, compatibility forms and composition", () => {
    fc.assert(
      fc.property(latinName, (name) => {
        const key = normalizeUsername(name);
        const fullwidth = name.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        for (const variant of [name.toUpperCase(), name.toLowerCase(), fullwidth, name.normalize("NFD"), name.normalize("NFKD")]) {
          assert.equal(normalizeUsername(variant), key, `${variant} vs ${name}`);
        }
      }),
    );
    assert.equal(normalizeUsername("ﾔﾏﾀﾞ"), "ヤマダ");
    assert.equal(normalizeUsername("\ufeb3\ufe8e\ufead\ufe93"), "سارة");
    assert.equal(normalizeUsername("𝐑𝐨𝐬𝐚"), "rosa");
    assert.equal(normalizeUsername("Ⅻ"), "xii");
  });
});

describe("usernameProblem", () => {
  it("never throws, and answers null or a known problem", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        assert.ok(PROBLEMS.includes(usernameProblem(s)));
        assert.ok(PROBLEMS.includes(checked(s)));
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts only names of 2 to 32 letters, marks, digits and single inner _ . -", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const n = normalizeUsername(s);
        if (usernameProblem(n) !== null) return;
        const chars = [...n];
        assert.ok(chars.length >= USERNAME_MIN && chars.length <= USERNAME_MAX);
        assert.ok(chars.every((c) => /^[\p{L}\p{M}\p{Nd}_.-]$/u.test(c)));
        assert.doesNotMatch(n, /[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cs}]/u);
        assert.doesNotMatch(n, /^[_.-]|[_.-]$|[_.-]{2}/);
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts Latin names of any length from 2 to 32 and no other", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), { minLength: 0, maxLength: 40 }), (letters) => {
        const expected = letters.length < USERNAME_MIN ? "too_short" : letters.length > USERNAME_MAX ? "too_long" : null;
        assert.equal(checked(letters.join("")), expected);
      }),
    );
  });

  it("refuses any name with an invisible, control, bidi or separator character anywhere", () => {
    fc.assert(
      fc.property(latinName, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { minLength: 1, maxLength: 3 }), (name, inserts) => {
        const chars = [...name];
        for (const [at, ch] of inserts) chars.splice(at % (chars.length + 1), 0, ch);
        assert.equal(checked(chars.join("")), "invisible_or_control", JSON.stringify(chars.join("")));
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses Latin mixed with Cyrillic or Greek, wherever the foreign letter stands", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,12}$/), fc.nat(), fc.constantFrom(..."абвгдежзиклмнопрстуфхцчшщыэюяαβγδεζηθικλμνξοπρστυφχψω"), (name, at, foreign) => {
        const chars = [...name];
        chars.splice(at % (chars.length + 1), 0, foreign);
        assert.equal(checked(chars.join("")), "mixed_scripts");
      }),
    );
  });

  it("accepts real names in one script, and Latin with Han, kana, Hangul or Bopomofo", () => {
    for (const name of ["rosa", "Rosa_Luxemburg", "karl.marx", "jean-paul", "José", "Zoë", "łucja", "やまだ", "山田太郎", "ヤマダ", "山田たろう", "سارة", "محمد", "Дмитрий", "Ελένη", "민준", "田中yuki", "yamadaやまだ", "李ㄅ", "김yuna", "אביגיל", "अनन्या", "ทักษิณ", "გიორგი", "user42", "42user"]) {
      assert.equal(checked(name), null, name);
    }
  });

  it("names the first problem of known bad names", () => {
    const cases: [string, UsernameProblem][] = [
      ["a", "too_short"],
      ["", "too_short"],
      ["a".repeat(33), "too_long"],
      ["ro sa", "invisible_or_control"],
      ["ro\u200dsa", "invisible_or_control"],
      ["\u202erosa", "invisible_or_control"],
      ["ro\u2066sa\u2069", "invisible_or_control"],
      ["rosa\u0000", "invisible_or_control"],
      ["ro\u00adsa", "invisible_or_control"],
      ["ro\u3164sa", "invisible_or_control"],
      ["ro$sa", "bad_character"],
      ["rosa!", "bad_character"],
      ["ro@sa", "bad_character"],
      ["😀rosa", "bad_character"],
      ["_rosa", "bad_edge"],
      ["rosa.", "bad_edge"],
      ["ro__sa", "bad_edge"],
      ["ro.-sa", "bad_edge"],
      ["rosа", "mixed_scripts"],
      ["аdmin", "mixed_scripts"],
      ["Ωmega", "mixed_scripts"],
      ["سارةsara", "mixed_scripts"],
      ["やまだДима", "mixed_scripts"],
    ];
    for (const [raw, problem] of cases) assert.equal(checked(raw), problem, JSON.stringify(raw));
  });
});
