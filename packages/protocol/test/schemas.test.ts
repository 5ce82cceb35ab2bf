/**
 * The request schemas: total (safeParse answers anything without throwing), strict (no key beyond
 * the documented ones), accepting every value the API documents, and bounded where it says so.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ChangePassword,
  ChangeRole,
  CreateCircle,
  CreateInvite,
  CreateOrganization,
  DeleteAccount,
  DeviceRegistration,
  LANGUAGES,
  ListQuery,
  MAX_INVITE_HOURS,
  MAX_INVITE_USES,
  PASSWORD_MAX,
  ROLES,
  SLUG_PATTERN,
  SignIn,
  SignUp,
  UpdateAccount,
  UpdateCircle,
  UpdateOrganization,
  deviceProofMessage,
  slug,
} from "../src/index.ts";

interface Schema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false };
}

const token = fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/);
const base64url = (n: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${n}}$`));
const email = fc.constantFrom("rosa@example.org", "k.marx+union@mail.example.co.uk", "a_b-c@sub.domain.example", "x@y.io");
const password = fc.string({ minLength: 1, maxLength: PASSWORD_MAX });
const language = fc.constantFrom(...LANGUAGES);
const languages = fc.array(language, { minLength: 1, maxLength: LANGUAGES.length });
// Display text: something visible, no control, direction mark or override, invisible filler or
// unpaired surrogate, short enough once trimmed.
const SPOOF_OR_UNSTORABLE = /[\p{Cc}\p{Cs}\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u115F\u1160\u2800\u3164\uFEFF\uFFA0]/u;
const displayText = (max: number) =>
  fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
    .filter((s) => s.trim().length > 0 && s.trim().length <= max && !SPOOF_OR_UNSTORABLE.test(s) && /[\p{L}\p{N}\p{P}\p{S}]/u.test(s));

// Free text as people write it: any script, emoji, line breaks — no NUL or unpaired surrogate, which no store keeps.
const freeText = (max: number) => fc.string({ unit: "grapheme", maxLength: 300 }).filter((s) => s.length <= max && !/[\u0000\p{Cs}]/u.test(s));
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

// Each schema with a generator of values it must accept.
const VALID: ReadonlyArray<readonly [string, Schema, fc.Arbitrary<Record<string, unknown>>]> = [
  ["SignUp", SignUp, fc.record({ username: fc.string({ minLength: 1, maxLength: 256 }), password, invite: token, email }, { requiredKeys: ["username", "password", "invite"] })],
  ["SignIn", SignIn, fc.record({ username: fc.string({ minLength: 1, maxLength: 256 }), password })],
  ["ChangePassword", ChangePassword, fc.record({ currentPassword: password, newPassword: password })],
  ["DeleteAccount", DeleteAccount, fc.record({ password })],
  ["UpdateAccount", UpdateAccount, fc.record({ email: fc.option(email), language }, { requiredKeys: [] })],
  ["DeviceRegistration", DeviceRegistration, fc.record({ name: displayText(64), publicKey: base64url(43), proof: base64url(86) })],
  [
    "CreateOrganization",
    CreateOrganization,
    fc.record(
      { name: displayText(100), slug: fc.stringMatching(SLUG_PATTERN), visibility: fc.constantFrom("public", "private"), languages, description: freeText(2000) },
      { requiredKeys: ["name", "visibility", "languages"] },
    ),
  ],
  [
    "UpdateOrganization",
    UpdateOrganization,
    fc.record({ name: displayText(100), visibility: fc.constantFrom("public", "private"), languages, description: freeText(2000) }, { requiredKeys: [] }),
  ],
  [
    "CreateInvite",
    CreateInvite,
    fc.record(
      {
        role: fc.constantFrom(...ROLES),
        expiresInHours: fc.integer({ min: 1, max: MAX_INVITE_HOURS }),
        maxUses: fc.option(fc.integer({ min: 1, max: MAX_INVITE_USES })),
        circleIds: fc.array(id, { maxLength: 50 }),
      },
      { requiredKeys: ["role", "expiresInHours", "maxUses"] },
    ),
  ],
  ["ChangeRole", ChangeRole, fc.record({ role: fc.constantFrom(...ROLES) })],
  ["CreateCircle", CreateCircle, fc.record({ name: displayText(80), description: freeText(1000) }, { requiredKeys: ["name"] })],
  ["UpdateCircle", UpdateCircle, fc.record({ name: displayText(80), description: freeText(1000) }, { requiredKeys: [] })],
  [
    "ListQuery",
    ListQuery,
    fc.record({ before: fc.stringMatching(/^\d{1,16}$/), limit: fc.integer({ min: 1, max: 200 }).map(String) }, { requiredKeys: [] }),
  ],
];

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  maxDepth: 3,
});

describe("request schemas", () => {
  it("safeParse never throws, whatever it is given", () => {
    const odd: unknown[] = [Symbol("x"), () => 1, Object.create(null), new Proxy({}, {}), Number.NaN, -0, Infinity, 10n, new Error("x"), Promise.resolve(1)];
    for (const [name, schema] of VALID) {
      for (const value of odd) schema.safeParse(value);
      fc.assert(
        fc.property(anything, (value) => {
          assert.equal(typeof schema.safeParse(value).success, "boolean", name);
        }),
        { numRuns: 300 },
      );
    }
  });

  it("safeParse never throws on any field set to anything", () => {
    for (const [name, schema, valid] of VALID) {
      fc.assert(
        fc.property(valid, fc.nat(), fc.oneof(anything, fc.constantFrom<unknown>(Symbol("x"), Object.create(null), 10n, () => 1)), (value, pick, replacement) => {
          const keys = Object.keys(value);
          const copy: Record<string, unknown> = { ...value };
          copy[keys.length ? keys[pick % keys.length]! : "value"] = replacement;
          assert.equal(typeof schema.safeParse(copy).success, "boolean", name);
        }),
        { numRuns: 200 },
      );
    }
  });

  it("accepts every documented value, and parsing what it returns gives the same again", () => {
    for (const [name, schema, valid] of VALID) {
      fc.assert(
        fc.property(valid, (value) => {
          const first = schema.safeParse(JSON.parse(JSON.stringify(value)));
          assert.ok(first.success, `${name} accepts ${JSON.stringify(value)}`);
          const again = schema.safeParse(first.data);
          assert.ok(again.success);
          assert.deepEqual(again.data, first.data);
        }),
        { numRuns: 200 },
      );
    }
  });

  it("refuses any key it does not document, __proto__ and constructor included", () => {
    const extraKey = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "prototype", "toString", "isAdmin", "instance_admin", "role "));
    for (const [name, schema, valid] of VALID) {
      fc.assert(
        fc.property(valid, extraKey, fc.jsonValue({ maxDepth: 1 }), (value, key, extra) => {
          fc.pre(!Object.hasOwn(value, key) && !["username", "password", "invite", "email", "language", "name", "publicKey", "proof", "slug", "visibility", "languages", "description", "role", "expiresInHours", "maxUses", "circleIds", "currentPassword", "newPassword", "before", "limit"].includes(key));
          const copy: Record<string, unknown> = { ...value };
          Object.defineProperty(copy, key, { value: extra, enumerable: true, writable: true, configurable: true });
          assert.equal(schema.safeParse(JSON.parse(JSON.stringify(copy))).success, false, `${name} refuses ${JSON.stringify(key)}`);
        }),
        { numRuns: 100 },
      );
    }
  });

  it("refuses values that are not objects", () => {
    for (const [name, schema] of VALID) {
      for (const value of [null, undefined, 0, "", "{}", [], [{}], true]) assert.equal(schema.safeParse(value).success, false, `${name}: ${JSON.stringify(value)}`);
    }
  });
});

describe("display names", () => {
  const named = [
    ["DeviceRegistration", DeviceRegistration, { publicKey: "A".repeat(43), proof: "A".repeat(86) }],
    ["CreateOrganization", CreateOrganization, { visibility: "private", languages: ["en"] }],
    ["CreateCircle", CreateCircle, {}],
  ] as const;

  it("refuse a control or bidi-override character anywhere inside", () => {
    const controls = [..."\u0000\u0001\u0007\t\n\r\u001b\u007f\u0085\u009f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\u061c\u3164\ud800"];
    fc.assert(
      fc.property(fc.constantFrom(...named), displayText(40), fc.nat(), fc.constantFrom(...controls), ([, schema, rest], name, at, control) => {
        const chars = [...name.trim()];
        fc.pre(chars.length >= 2);
        // inside: at the edges, whitespace controls are trimmed away like any whitespace
        chars.splice(1 + (at % (chars.length - 1)), 0, control);
        assert.equal(schema.safeParse({ ...rest, name: chars.join("") }).success, false, JSON.stringify(chars.join("")));
      }),
    );
  });

  it("are trimmed, and refused when blank", () => {
    for (const [, schema, rest] of named) {
      for (const edge of ["\u202e", "\u0000", "\u2066"]) assert.equal(schema.safeParse({ ...rest, name: `${edge}Kitchen` }).success, false, JSON.stringify(edge));
      const parsed = schema.safeParse({ ...rest, name: "  Kitchen committee \u3000" });
      assert.ok(parsed.success);
      assert.equal((parsed.data as { name: string }).name, "Kitchen committee");
      for (const blank of ["", " ", "\u3000\u00a0", "\u2003", "\u200b", "\u3164", "\u2800", "\u200f\u200e"]) assert.equal(schema.safeParse({ ...rest, name: blank }).success, false, JSON.stringify(blank));
    }
  });

  it("accept names in any script", () => {
    for (const name of ["Tenants' Union", "Syndicat des locataires", "山田組合", "نقابة المستأجرين", "Профсоюз", "Ένωση ενοικιαστών", "🏠 Local 42"]) {
      assert.ok(CreateCircle.safeParse({ name }).success, name);
    }
  });
});

describe("bounded fields", () => {
  it("slugs: lowercase letters, digits and inner hyphens, 1 to 48", () => {
    fc.assert(fc.property(fc.stringMatching(SLUG_PATTERN), (s) => assert.ok(slug.safeParse(s).success)));
    for (const bad of ["", "-a", "a-", "A", "a_b", "a.b", "a".repeat(49), "ａ", "a b", "a\u0000", "é"]) assert.equal(slug.safeParse(bad).success, false, bad);
    for (const good of ["a", "0", "local-42", "a--b", "a".repeat(48)]) assert.ok(slug.safeParse(good).success, good);
  });

  it("invites: 1 hour to 90 days, 1 to 10 000 uses or unlimited, at most 50 circles", () => {
    const valid = { role: "member", expiresInHours: 24, maxUses: 1 };
    for (const [field, value] of [
      ["expiresInHours", 0],
      ["expiresInHours", MAX_INVITE_HOURS + 1],
      ["expiresInHours", 1.5],
      ["expiresInHours", "24"],
      ["maxUses", 0],
      ["maxUses", MAX_INVITE_USES + 1],
      ["maxUses", undefined],
      ["role", "owner"],
      ["circleIds", Array.from({ length: 51 }, (_, i) => `c${i}`)],
      ["circleIds", ["x".repeat(65)]],
    ] as const) {
      assert.equal(CreateInvite.safeParse({ ...valid, [field]: value }).success, false, `${field}=${JSON.stringify(value)}`);
    }
    assert.ok(CreateInvite.safeParse({ ...valid, maxUses: null, expiresInHours: MAX_INVITE_HOURS }).success);
  });

  it("passwords: 1 to 512 characters", () => {
    assert.ok(DeleteAccount.safeParse({ password: "x".repeat(PASSWORD_MAX) }).success);
    assert.equal(DeleteAccount.safeParse({ password: "x".repeat(PASSWORD_MAX + 1) }).success, false);
    assert.equal(DeleteAccount.safeParse({ password: "" }).success, false);
  });

  it("list queries: before is 1 to 16 digits, limit a whole number from 1 to 200", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.stringMatching(/^\d{1,16}$/), (limit, before) => {
        const parsed = ListQuery.safeParse({ limit: String(limit), before });
        assert.ok(parsed.success);
        assert.equal(parsed.data.limit, limit);
      }),
    );
    for (const bad of [{ limit: "0" }, { limit: "201" }, { limit: "1.5" }, { limit: "abc" }, { limit: "" }, { before: "" }, { before: "-1" }, { before: "1".repeat(17) }, { before: "1e3" }, { before: "١٢" }, { other: "1" }]) {
      assert.equal(ListQuery.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it("device keys: base64url of exactly 43 and 86 characters", () => {
    const valid = { name: "phone", publicKey: "A".repeat(43), proof: "B".repeat(86) };
    assert.ok(DeviceRegistration.safeParse(valid).success);
    for (const [field, value] of [
      ["publicKey", "A".repeat(42)],
      ["publicKey", "A".repeat(44)],
      ["publicKey", `${"A".repeat(42)}=`],
      ["publicKey", `${"A".repeat(42)}+`],
      ["proof", "B".repeat(85)],
      ["proof", `${"B".repeat(85)}/`],
    ] as const) {
      assert.equal(DeviceRegistration.safeParse({ ...valid, [field]: value }).success, false, `${field}=${value}`);
    }
  });

  it("the device proof message binds the account and the key", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a1, k1, a2, k2) => {
        fc.pre(!a1.includes("\n") && !a2.includes("\n"));
        assert.ok(deviceProofMessage(a1, k1).startsWith("commune-device-v1\n"));
        assert.equal(deviceProofMessage(a1, k1) === deviceProofMessage(a2, k2), a1 === a2 && k1 === k2);
      }),
    );
  });
});
