/**
 * Hostile input against every organization-key route, on both store dialects: random callers
 * (admin, member, signed out, forged token), organization addresses, and bodies (near-valid ones
 * with one field broken, arbitrary JSON, text, wrong content types). Whatever arrives, the answer
 * is below 500 and a well-formed problem+json when refused; a refused request, or any GET, leaves
 * the organization key tables and the audit log exactly as they were.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { sql, type Kysely } from "kysely";
import { generateSealKeyPair, sign, toBase64Url } from "@commune/crypto";
import { ERROR_STATUS, isErrorCode, sealKeyProofMessage } from "@commune/protocol";
import type { Database } from "../src/store/schema/index.ts";
import { DIALECTS, join, orgWithMembers, startServer, type TestDialect, type TestServer } from "./helpers.ts";

const scale = (dialect: TestDialect, runs: number) => (dialect === "sqlite" ? runs : Math.max(10, Math.round(runs / 4)));
const TABLES = ["device_seal_keys", "organization_keys", "organization_key_grants", "organization_key_recovery", "audit_log"] as const;
const SEALED = "A".repeat(107);

interface Fixture {
  readonly slug: string;
  readonly adminToken: string;
  readonly memberToken: string;
  readonly adminDeviceId: string;
  /** A correct body for PUT /devices/current/seal-key as the admin (republishing the same key). */
  readonly sealKeyBody: { publicKey: string; signature: string };
}

async function buildFixture(t: TestServer): Promise<Fixture> {
  const { admin, org } = await orgWithMembers(t);
  const member = await join(t, admin, org.slug, "karl");
  await admin.setUpOrganizationKey(org.slug);
  const device = admin.device!;
  const publicKey = toBase64Url(device.sealKeyPair!.publicKey);
  const signature = await sign(device.keyPair.privateKey, sealKeyProofMessage(device.accountId, device.deviceId, publicKey));
  return { slug: org.slug, adminToken: admin.token!, memberToken: member.token!, adminDeviceId: device.deviceId, sealKeyBody: { publicKey, signature } };
}

async function snapshot(db: Kysely<Database>): Promise<string> {
  const out: string[] = [];
  for (const table of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out.push(...rows.map((r) => `${table} ${JSON.stringify(Object.entries(r).sort(), (_k, v) => (typeof v === "bigint" ? String(v) : v))}`).sort());
  }
  return out.join("\n");
}

async function currentKeyId(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom("organization_keys").select("id").where("retired_at", "is", null).executeTakeFirst();
  return row?.id ?? "none";
}

interface Route {
  readonly method: "GET" | "POST" | "PUT";
  readonly path: (slug: string) => string;
  /** A body the server accepts (or refuses only for the state it finds), built when sent. */
  readonly valid?: (fx: Fixture, current: string) => Record<string, unknown>;
}

const ROUTES: readonly Route[] = [
  { method: "PUT", path: () => "/api/v1/devices/current/seal-key", valid: (fx) => ({ ...fx.sealKeyBody }) },
  { method: "GET", path: (s) => `/api/v1/orgs/${s}/keys/current` },
  { method: "GET", path: (s) => `/api/v1/orgs/${s}/keys` },
  {
    method: "POST",
    path: (s) => `/api/v1/orgs/${s}/keys`,
    valid: (fx, current) => {
      const id = `k${Math.random().toString(36).slice(2, 10)}`;
      return { id, publicKey: toBase64Url(generateSealKeyPair().publicKey), replaces: current, grants: [{ keyId: id, deviceId: fx.adminDeviceId, sealed: SEALED }], recovery: { sealed: SEALED } };
    },
  },
  { method: "GET", path: (s) => `/api/v1/orgs/${s}/keys/pending` },
  { method: "GET", path: (s) => `/api/v1/orgs/${s}/keys/grants` },
  { method: "POST", path: (s) => `/api/v1/orgs/${s}/keys/grants`, valid: (fx, current) => ({ grants: [{ keyId: current, deviceId: fx.adminDeviceId, sealed: SEALED }] }) },
  { method: "GET", path: (s) => `/api/v1/orgs/${s}/keys/recovery` },
  { method: "PUT", path: (s) => `/api/v1/orgs/${s}/keys/recovery`, valid: (_fx, current) => ({ recoveryPublicKey: toBase64Url(generateSealKeyPair().publicKey), copies: [{ keyId: current, sealed: SEALED }] }) },
];

type Body =
  | { readonly kind: "none" }
  | { readonly kind: "valid" }
  | { readonly kind: "replace"; readonly pick: number; readonly value: unknown }
  | { readonly kind: "drop"; readonly pick: number }
  | { readonly kind: "extra"; readonly key: string; readonly value: unknown }
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "text"; readonly text: string };

interface Hostile {
  readonly route: number;
  readonly who: "admin" | "member" | "none" | "forged";
  readonly slug: { readonly real: true } | { readonly real: false; readonly text: string };
  readonly body: Body;
  readonly contentType: string;
}

const hostileArb: fc.Arbitrary<Hostile> = fc.record({
  route: fc.integer({ min: 0, max: ROUTES.length - 1 }),
  who: fc.oneof({ weight: 4, arbitrary: fc.constant("admin" as const) }, fc.constantFrom("member" as const, "none" as const, "forged" as const)),
  slug: fc.oneof(
    { weight: 4, arbitrary: fc.constant({ real: true as const }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((text) => ({ real: false as const, text })) },
  ),
  body: fc.oneof(
    fc.constant({ kind: "none" as const }),
    { weight: 2, arbitrary: fc.constant({ kind: "valid" as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), value: fc.anything({ maxDepth: 2 }) }) },
    fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("extra" as const), key: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 1 }) }),
    fc.record({ kind: fc.constant("json" as const), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ kind: fc.constant("text" as const), text: fc.string({ maxLength: 200 }) }),
  ),
  contentType: fc.constantFrom("application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded"),
});

function bodyText(body: Body, route: Route, fx: Fixture, current: string): string | null {
  if (body.kind === "none") return null;
  if (body.kind === "text") return body.text;
  if (body.kind === "json") return JSON.stringify(body.value) ?? "null";
  const valid = route.valid?.(fx, current) ?? {};
  if (body.kind === "valid") return JSON.stringify(valid);
  const keys = Object.keys(valid);
  const key = keys.length ? keys[(body.kind === "extra" ? 0 : body.pick) % keys.length]! : "value";
  const out: Record<string, unknown> = { ...valid };
  if (body.kind === "replace") Object.defineProperty(out, key, { value: body.value, enumerable: true, writable: true, configurable: true });
  else if (body.kind === "drop") delete out[key];
  else Object.defineProperty(out, body.key, { value: body.value, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? "null";
}

for (const dialect of DIALECTS) {
  describe(`organization key routes under hostile input (${dialect})`, () => {
    let t: TestServer;
    let fx: Fixture;
    before(async () => {
      t = await startServer(dialect);
      fx = await buildFixture(t);
    });
    after(async () => {
      await t?.close();
    });

    it("answer below 500 with a well-formed problem, and change nothing when they refuse", async (c) => {
      const db = t.server.ctx.db;
      const tally: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(hostileArb, async (h) => {
          const route = ROUTES[h.route]!;
          const slug = h.slug.real ? fx.slug : encodeURIComponent(h.slug.text);
          const current = await currentKeyId(db);
          const text = route.method === "GET" ? null : bodyText(h.body, route, fx, current);
          const headers: Record<string, string> = { accept: "application/json" };
          if (text !== null) headers["content-type"] = h.contentType;
          if (h.who === "admin") headers.authorization = `Bearer ${fx.adminToken}`;
          if (h.who === "member") headers.authorization = `Bearer ${fx.memberToken}`;
          if (h.who === "forged") headers.authorization = `Bearer ${"x".repeat(43)}`;
          const before = await snapshot(db);
          const response = await fetch(t.url + route.path(slug), { method: route.method, headers, ...(text !== null ? { body: text } : {}) });
          const reply = await response.text();
          const outcome = `${route.method} ${response.status}`;
          tally[outcome] = (tally[outcome] ?? 0) + 1;
          assert.ok(response.status < 500, `${route.method} ${route.path(slug)} answered ${response.status}: ${reply}`);
          if (response.status >= 400) {
            assert.match(response.headers.get("content-type") ?? "", /^application\/problem\+json/);
            const problem = JSON.parse(reply) as { code?: unknown; status?: unknown };
            assert.ok(isErrorCode(problem.code), reply);
            assert.equal(problem.status, response.status);
            assert.equal(ERROR_STATUS[problem.code], response.status);
          }
          if (response.status >= 400 || route.method === "GET") assert.equal(await snapshot(db), before, `${route.method} ${route.path(slug)} (${response.status}) changed the store`);
          if (h.who !== "admin" && route.method !== "GET") assert.ok(response.status >= 400, "only an admin writes");
        }),
        {
          numRuns: scale(dialect, 300),
          // each write route once as it should be, before the random ones
          examples: ROUTES.flatMap((r, i): [Hostile][] => (r.valid ? [[{ route: i, who: "admin", slug: { real: true }, body: { kind: "valid" }, contentType: "application/json" }]] : [])),
        },
      );
      c.diagnostic(JSON.stringify(tally));
      // the near-valid bodies are near something real: some writes went through
      assert.ok(Object.entries(tally).some(([k, n]) => /^(POST|PUT) 2/.test(k) && n > 0), JSON.stringify(tally));
    });
  });
}
