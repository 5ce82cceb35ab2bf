/**
 * Hostile input against a real server, on both store dialects: random methods, paths, path
 * parameters, bodies, content types, headers and query strings sent to every endpoint as an
 * administrator, a member and anonymously — and look-alike usernames at sign-up.
 *
 * Whatever arrives, the server answers below 500; every refusal is a well-formed problem+json whose
 * `code` and `status` agree with ERROR_STATUS; where the refusal is predictable from the request
 * alone (too large, cross-site, unknown method, signed out, malformed parameter, not JSON, not
 * valid) it is that refusal; and a refused request, or any GET, changes nothing in the store.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { sql, type Kysely } from "kysely";
import { CommuneClient, MemoryDeviceStore } from "@commune/client";
import {
  ChangePassword,
  ChangeRole,
  CreateCircle,
  CreateInvite,
  CreateOrganization,
  DeleteAccount,
  DeviceRegistration,
  ERROR_STATUS,
  ListQuery,
  SignIn,
  SignUp,
  UpdateAccount,
  UpdateCircle,
  UpdateOrganization,
  ClaimKeyPackages,
  CreateRoom,
  PublishKeyPackages,
  SendMessage,
  SubmitCommit,
  UpdateRoom,
  isErrorCode,
  normalizeUsername,
  problemType,
  usernameProblem,
  type ErrorCode,
} from "@commune/protocol";
import { accountRoutes } from "../src/api/routes/accounts.ts";
import { deviceRoutes } from "../src/api/routes/devices.ts";
import { instanceRoutes } from "../src/api/routes/instance.ts";
import { loopRoutes } from "../src/api/routes/loops.ts";
import { inviteRoutes } from "../src/api/routes/invites.ts";
import { organizationRoutes } from "../src/api/routes/organizations.ts";
import { skeleton } from "../src/auth/usernames.ts";
import type { Database } from "../src/store/schema/index.ts";
import { DIALECTS, PASSWORD, startServer, type TestDialect, type TestServer } from "./helpers.ts";

/** PostgreSQL runs a quarter of SQLite's cases: the same code paths, a slower store. */
const scale = (dialect: TestDialect, runs: number) => (dialect === "sqlite" ? runs : Math.max(8, Math.round(runs / 4)));

const MAX_BODY = 64 * 1024;
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
// Methods Node's HTTP parser knows (it answers unknown ones itself, before the application).
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT", "PURGE", "LINK", "UNLINK", "QUERY"] as const;

// ---------------------------------------------------------------------------------------------
// The world the requests aim at: one instance administrator who runs a private and a public
// organization, a member of the private one with a device and a circle place, a pending invite.
// ---------------------------------------------------------------------------------------------

interface Fixture {
  readonly adminToken: string;
  readonly memberToken: string;
  readonly adminId: string;
  readonly memberId: string;
  readonly adminSessionId: string;
  readonly memberSessionId: string;
  readonly memberDeviceId: string;
  readonly memberName: string;
  readonly orgSlug: string;
  readonly orgId: string;
  readonly publicSlug: string;
  readonly circleId: string;
  readonly inviteId: string;
  readonly inviteToken: string;
  readonly roomId: string;
}
type Known = Exclude<keyof Fixture, "adminToken" | "memberToken" | "memberName" | "orgId" | "adminSessionId">;

let generation = 0;

/** A client whose requests carry their own forwarded address, so fixtures never meet the sign-up rate limit. */
function clientFrom(url: string, address: string): CommuneClient {
  const viaAddress: typeof fetch = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "x-forwarded-for": address } });
  return new CommuneClient({ baseUrl: url, deviceStore: new MemoryDeviceStore(), fetch: viaAddress });
}

async function buildFixture(t: TestServer): Promise<Fixture> {
  const n = ++generation;
  const admin = clientFrom(t.url, `fixture-${n}`);
  const adminSigned = await admin.signUp({ username: `rosa${n}`, password: PASSWORD, invite: (await t.server.createAdminInvite()).token });
  const org = await admin.createOrganization({ name: `Local ${n}`, slug: `local-${n}`, visibility: "private", languages: ["en", "fr"] });
  const open = await admin.createOrganization({ name: `Open door ${n}`, slug: `open-door-${n}`, visibility: "public", languages: ["en", "ar"] });
  const joining = await admin.createInvite(org.slug, { role: "member", expiresInHours: 24, maxUses: 1 });
  const member = clientFrom(t.url, `fixture-${n}`);
  const memberSigned = await member.signUp({ username: `karl${n}`, password: PASSWORD, invite: joining.token });
  const circle = await admin.createCircle(org.slug, { name: "Stewards" });
  await admin.addToCircle(org.slug, circle.id, memberSigned.account.id);
  const pending = await admin.createInvite(org.slug, { role: "member", expiresInHours: 24, maxUses: 1000 });
  const room = await admin.createRoom(org.slug, { kind: "group", name: "Night shift loop", memberIds: [memberSigned.account.id] });
  return {
    adminToken: adminSigned.token,
    memberToken: memberSigned.token,
    adminId: adminSigned.account.id,
    memberId: memberSigned.account.id,
    adminSessionId: adminSigned.sessionId,
    memberSessionId: memberSigned.sessionId,
    memberDeviceId: member.device!.deviceId,
    memberName: memberSigned.account.username,
    orgSlug: org.slug,
    orgId: org.id,
    publicSlug: open.slug,
    circleId: circle.id,
    inviteId: pending.id,
    inviteToken: pending.token,
    roomId: room.id,
  };
}

/** True while every relationship the generators aim at still holds (a request may have undone one). */
async function fixtureIntact(db: Kysely<Database>, fx: Fixture): Promise<boolean> {
  const sessions = await db.selectFrom("sessions").select("id").where("id", "in", [fx.adminSessionId, fx.memberSessionId]).execute();
  const admin = await db.selectFrom("accounts").select("instance_admin").where("id", "=", fx.adminId).executeTakeFirst();
  const roles = await db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select(["o.slug", "o.visibility", "m.account_id", "m.role"])
    .where("o.slug", "in", [fx.orgSlug, fx.publicSlug])
    .execute();
  const has = (slug: string, visibility: string, account: string, role: string) =>
    roles.some((r) => r.slug === slug && r.visibility === visibility && r.account_id === account && r.role === role);
  const inCircle = await db.selectFrom("circle_members").select("account_id").where("circle_id", "=", fx.circleId).where("account_id", "=", fx.memberId).executeTakeFirst();
  const invite = await db.selectFrom("invites").selectAll().where("id", "=", fx.inviteId).executeTakeFirst();
  const device = await db.selectFrom("devices").select("id").where("id", "=", fx.memberDeviceId).executeTakeFirst();
  const inRoom = await db.selectFrom("room_members").select("account_id").where("room_id", "=", fx.roomId).execute();
  return (
    inRoom.length === 2 &&
    sessions.length === 2 &&
    admin?.instance_admin === 1 &&
    roles.length === 3 &&
    has(fx.orgSlug, "private", fx.adminId, "admin") &&
    has(fx.orgSlug, "private", fx.memberId, "member") &&
    has(fx.publicSlug, "public", fx.adminId, "admin") &&
    inCircle !== undefined &&
    invite !== undefined &&
    invite.revoked_at === null &&
    invite.uses < (invite.max_uses ?? Infinity) &&
    device !== undefined
  );
}

// ---------------------------------------------------------------------------------------------
// Store snapshots: every row of every table, in a stable order, without the two session columns
// that an authenticated read may legitimately slide forward.
// ---------------------------------------------------------------------------------------------

const TABLES = [
  "accounts",
  "devices",
  "sessions",
  "organizations",
  "memberships",
  "invites",
  "circles",
  "circle_members",
  "audit_log",
  "key_packages",
  "rooms",
  "room_members",
  "room_events",
  "welcomes",
  "attachments",
] as const;
const SLIDING = new Set(["sessions.last_seen_at", "sessions.expires_at"]);
type Snapshot = Record<string, string[]>;

async function snapshot(db: Kysely<Database>): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const table of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .filter((column) => !SLIDING.has(`${table}.${column}`))
            .sort()
            .map((column) => [column, typeof row[column] === "bigint" ? String(row[column]) : row[column]]),
        ),
      )
      .sort();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Every route, as the generators see it. `{name}` is a path parameter; PARAMS says what shape it
// has and which fixture values are real ones.
// ---------------------------------------------------------------------------------------------

type ParamKind = "slug" | "id" | "token";
const PARAMS = {
  slug: { kind: "slug", known: ["orgSlug", "publicSlug"] },
  session: { kind: "id", known: ["memberSessionId"] },
  device: { kind: "id", known: ["memberDeviceId"] },
  invite: { kind: "id", known: ["inviteId"] },
  circle: { kind: "id", known: ["circleId"] },
  account: { kind: "id", known: ["memberId", "adminId"] },
  token: { kind: "token", known: ["inviteToken"] },
  room: { kind: "id", known: ["roomId"] },
  // welcomes are taken once; the generators aim at real rooms' ids, which name no welcome
  welcome: { kind: "id", known: ["roomId"] },
  attachment: { kind: "id", known: ["roomId"] },
} as const satisfies Record<string, { kind: ParamKind; known: readonly Known[] }>;
type ParamName = keyof typeof PARAMS;

/** The documented shapes of path parameters; anything else names nothing. */
const PARAM_SHAPE: Record<ParamKind, RegExp> = {
  slug: /^[a-z0-9-]{1,48}$/,
  id: /^[A-Za-z0-9_-]{1,64}$/,
  token: /^[A-Za-z0-9_-]{16,128}$/,
};

interface BodySpec {
  readonly schema: { safeParse(value: unknown): { success: boolean } };
  /** A body the schema accepts, aimed at the fixture. */
  valid(fx: Fixture): Record<string, unknown>;
}

interface Route {
  readonly method: string;
  readonly template: string;
  readonly params: readonly ParamName[];
  readonly auth: "none" | "optional" | "required";
  readonly body?: BodySpec;
}

function route(method: string, template: string, auth: Route["auth"], body?: BodySpec): Route {
  const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as ParamName);
  return { method, template, params, auth, ...(body ? { body } : {}) };
}

const WRONG_PASSWORD = "not the password at all";
const ROUTES: readonly Route[] = [
  route("GET", "/healthz", "none"),
  route("GET", "/api/v1/instance", "none"),
  route("POST", "/api/v1/accounts", "none", {
    schema: SignUp,
    valid: (fx) => ({ username: "newcomer", password: "~!@#$%^&*()+=", email: "newcomer@example.org", invite: fx.inviteToken }),
  }),
  route("POST", "/api/v1/sessions", "none", { schema: SignIn, valid: (fx) => ({ username: fx.memberName, password: PASSWORD }) }),
  route("GET", "/api/v1/sessions", "required"),
  route("DELETE", "/api/v1/sessions/current", "required"),
  route("DELETE", "/api/v1/sessions/{session}", "required"),
  route("GET", "/api/v1/account", "required"),
  route("PATCH", "/api/v1/account", "required", { schema: UpdateAccount, valid: () => ({ email: "rosa@example.org", language: "fr" }) }),
  route("POST", "/api/v1/account/password", "required", {
    schema: ChangePassword,
    valid: () => ({ currentPassword: WRONG_PASSWORD, newPassword: "another long passphrase" }),
  }),
  route("GET", "/api/v1/account/deletion", "required"),
  route("DELETE", "/api/v1/account", "required", { schema: DeleteAccount, valid: () => ({ password: WRONG_PASSWORD }) }),
  route("GET", "/api/v1/devices", "required"),
  route("POST", "/api/v1/devices", "required", {
    schema: DeviceRegistration,
    valid: () => ({ name: "phone", publicKey: "A".repeat(43), proof: "A".repeat(86) }),
  }),
  route("DELETE", "/api/v1/devices/{device}", "required"),
  route("GET", "/api/v1/orgs", "required"),
  route("POST", "/api/v1/orgs", "required", {
    schema: CreateOrganization,
    valid: () => ({ name: "Night shift", slug: "night-shift", visibility: "public", languages: ["en", "ja"], description: "" }),
  }),
  route("GET", "/api/v1/orgs/{slug}", "optional"),
  route("PATCH", "/api/v1/orgs/{slug}", "required", {
    schema: UpdateOrganization,
    valid: () => ({ name: "Local 42", description: "We meet on Tuesdays.", languages: ["en"] }),
  }),
  route("GET", "/api/v1/orgs/{slug}/members", "required"),
  route("PATCH", "/api/v1/orgs/{slug}/members/{account}", "required", { schema: ChangeRole, valid: () => ({ role: "member" }) }),
  route("DELETE", "/api/v1/orgs/{slug}/members/{account}", "required"),
  route("GET", "/api/v1/orgs/{slug}/invites", "required"),
  route("POST", "/api/v1/orgs/{slug}/invites", "required", {
    schema: CreateInvite,
    valid: (fx) => ({ role: "member", expiresInHours: 24, maxUses: 1, circleIds: [fx.circleId] }),
  }),
  route("DELETE", "/api/v1/orgs/{slug}/invites/{invite}", "required"),
  route("GET", "/api/v1/orgs/{slug}/circles", "required"),
  route("POST", "/api/v1/orgs/{slug}/circles", "required", { schema: CreateCircle, valid: () => ({ name: "Kitchen", description: "" }) }),
  route("GET", "/api/v1/orgs/{slug}/circles/{circle}", "required"),
  route("PATCH", "/api/v1/orgs/{slug}/circles/{circle}", "required", { schema: UpdateCircle, valid: () => ({ name: "Stewards", description: "" }) }),
  route("DELETE", "/api/v1/orgs/{slug}/circles/{circle}", "required"),
  route("PUT", "/api/v1/orgs/{slug}/circles/{circle}/members/{account}", "required"),
  route("DELETE", "/api/v1/orgs/{slug}/circles/{circle}/members/{account}", "required"),
  route("GET", "/api/v1/orgs/{slug}/audit", "required"),
  route("GET", "/api/v1/invites/{token}", "none"),
  route("POST", "/api/v1/invites/{token}/accept", "required"),
  route("GET", "/api/v1/devices/current/key-packages", "required"),
  route("POST", "/api/v1/devices/current/key-packages", "required", {
    schema: PublishKeyPackages,
    valid: () => ({ suite: "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", packages: [{ data: "AAAA" }, { data: "BBBB", lastResort: true }] }),
  }),
  route("POST", "/api/v1/key-packages/claim", "required", {
    schema: ClaimKeyPackages,
    valid: (fx) => ({ suite: "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", accountIds: [fx.memberId, fx.adminId] }),
  }),
  route("GET", "/api/v1/rooms", "required"),
  route("POST", "/api/v1/orgs/{slug}/rooms", "required", {
    schema: CreateRoom,
    valid: (fx) => ({ kind: "group", name: "Stewards' loop", memberIds: [fx.memberId] }),
  }),
  route("GET", "/api/v1/rooms/{room}", "required"),
  route("PATCH", "/api/v1/rooms/{room}", "required", { schema: UpdateRoom, valid: () => ({ disappearingSeconds: 3600 }) }),
  route("PUT", "/api/v1/rooms/{room}/members/{account}", "required"),
  route("DELETE", "/api/v1/rooms/{room}/members/{account}", "required"),
  route("POST", "/api/v1/rooms/{room}/commits", "required", { schema: SubmitCommit, valid: () => ({ epoch: 0, id: "commit-1", data: "AAAA" }) }),
  route("POST", "/api/v1/rooms/{room}/messages", "required", { schema: SendMessage, valid: () => ({ id: "message-1", epoch: 0, data: "AAAA" }) }),
  route("GET", "/api/v1/rooms/{room}/events", "required"),
  route("POST", "/api/v1/rooms/{room}/attachments", "required"),
  route("GET", "/api/v1/rooms/{room}/attachments/{attachment}", "required"),
  route("GET", "/api/v1/welcomes", "required"),
  route("DELETE", "/api/v1/welcomes/{welcome}", "required"),
];
const BODY_ROUTES = ROUTES.filter((r) => r.body);

// ---------------------------------------------------------------------------------------------
// The wire: fetch for most requests; node:http where fetch would tidy the request up first (dot
// segments in paths, bodies on GET) or at random, so both framings reach the server.
// ---------------------------------------------------------------------------------------------

interface Wire {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | null;
  readonly chunked: boolean;
  readonly viaHttp: boolean;
}

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

function chunks(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += 16_384)));
    },
  });
}

/**
 * Bodies beyond the limit go over a connection of their own: after a 413 for a large Content-Length
 * the server closes the kept-alive connection half a second later without announcing it, which
 * fails whatever fetch sent next over it — a race these tests must not depend on (reported).
 */
async function send(origin: string, wire: Wire): Promise<Reply> {
  const bare = wire.body && (wire.method === "GET" || wire.method === "HEAD" || wire.body.length > MAX_BODY);
  if (wire.viaHttp || bare) return sendHttp(origin, wire);
  const init: RequestInit & { duplex?: "half" } = { method: wire.method, headers: wire.headers, redirect: "manual" };
  if (wire.body) {
    init.body = wire.chunked ? chunks(wire.body) : new Blob([wire.body.slice()]);
    if (wire.chunked) init.duplex = "half";
  }
  const response = await fetch(origin + wire.path, init);
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text: await response.text() };
}

function sendHttp(origin: string, wire: Wire): Promise<Reply> {
  const url = new URL(origin);
  const headers: Record<string, string> = { ...wire.headers };
  if (wire.body) headers[wire.chunked ? "transfer-encoding" : "content-length"] = wire.chunked ? "chunked" : String(wire.body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: wire.method, path: wire.path, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (wire.body) for (let i = 0; i < wire.body.length; i += 16_384) req.write(wire.body.subarray(i, i + 16_384));
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
// A hostile request, as generated: abstract enough to aim at whatever fixture is current when it
// runs (a run may have replaced it), concrete enough to say what the server must answer.
// ---------------------------------------------------------------------------------------------

/** A path parameter: a real value, or raw path text and what the server decodes it to (null: not one segment). */
type Param = { readonly known: number } | { readonly raw: string; readonly text: string | null };

type Target = { readonly route: Route; readonly params: readonly Param[] } | { readonly path: string };

type Mutation =
  | { readonly op: "replace"; readonly pick: number; readonly value: unknown }
  | { readonly op: "drop"; readonly pick: number }
  | { readonly op: "extra"; readonly key: string; readonly value: unknown }
  | { readonly op: "nest"; readonly pick: number; readonly key: string; readonly value: unknown };

type Body =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "near-valid"; readonly mutation: Mutation }
  | { readonly kind: "sized"; readonly size: number; readonly json: boolean };

/** A Content-Type header, and whether it announces JSON (null: not known). */
type ContentType = readonly [value: string | null, json: boolean | null];

interface Hostile {
  readonly method: string;
  readonly target: Target;
  readonly query: string;
  /** Header templates: {admin}, {member} and {self} are filled in when sent. */
  readonly authorization: string | null;
  readonly cookie: string | null;
  readonly origin: string | null;
  readonly contentType: ContentType;
  readonly body: Body | null;
  readonly chunked: boolean;
  readonly headers: readonly (readonly [string, string])[];
  readonly huge: { readonly header: string; readonly size: number } | null;
  readonly viaHttp: boolean;
}

const hostile = (h: Partial<Hostile> & Pick<Hostile, "method" | "target">): Hostile => ({
  query: "",
  authorization: null,
  cookie: null,
  origin: null,
  contentType: ["application/json", true],
  body: null,
  chunked: false,
  headers: [],
  huge: null,
  viaHttp: false,
  ...h,
});

interface Resolved {
  readonly wire: Wire;
  readonly routeTarget: { readonly route: Route; readonly texts: readonly (string | null)[] } | null;
  readonly authorization: string | null;
  readonly cookie: string | null;
  readonly origin: string | null;
  readonly contentTypeJson: boolean | null;
}

function fill(template: string, fx: Fixture, self: string): string {
  return template.replaceAll("{admin}", fx.adminToken).replaceAll("{member}", fx.memberToken).replaceAll("{self}", self);
}

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: "__proto__" must become an own, serialized key
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(valid: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const keys = Object.keys(valid);
  const out: Record<string, unknown> = {};
  for (const key of keys) defineOwn(out, key, valid[key]);
  const key = keys.length === 0 ? "value" : keys[("pick" in m ? m.pick : 0) % keys.length]!;
  if (m.op === "replace") defineOwn(out, key, m.value);
  else if (m.op === "drop") delete out[key];
  else if (m.op === "extra") defineOwn(out, m.key, m.value);
  else {
    const nested: Record<string, unknown> = {};
    defineOwn(nested, m.key, m.value);
    defineOwn(out, key, nested);
  }
  return out;
}

function bodyBytes(body: Body, route: Route | null, fx: Fixture): Uint8Array {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  switch (body.kind) {
    case "text":
      return utf8(body.text);
    case "bytes":
      return body.bytes;
    case "near-valid":
      return utf8(JSON.stringify(mutate(route?.body?.valid(fx) ?? {}, body.mutation)));
    case "sized": {
      if (!body.json) return new Uint8Array(body.size).fill(0x41);
      const frame = '{"pad":""}';
      return utf8(`{"pad":"${"A".repeat(Math.max(0, body.size - frame.length))}"}`);
    }
  }
}

function resolve(h: Hostile, fx: Fixture, self: string): Resolved {
  let path: string;
  let routeTarget: Resolved["routeTarget"] = null;
  if ("route" in h.target) {
    const { route: r, params } = h.target;
    const texts: (string | null)[] = [];
    let i = 0;
    path = r.template.replace(/\{(\w+)\}/g, (_, name: ParamName) => {
      const p = params[i++]!;
      if ("known" in p) {
        const known = PARAMS[name].known;
        const value = fx[known[p.known % known.length]!];
        texts.push(value);
        return encodeURIComponent(value);
      }
      texts.push(p.text);
      return p.raw;
    });
    routeTarget = { route: r, texts };
  } else {
    path = h.target.path;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of h.headers) headers[name] = fill(value, fx, self);
  const authorization = h.authorization === null ? null : fill(h.authorization, fx, self);
  const cookie = h.cookie === null ? null : fill(h.cookie, fx, self);
  const origin = h.origin === null ? null : fill(h.origin, fx, self);
  if (authorization !== null) headers.authorization = authorization;
  if (cookie !== null) headers.cookie = cookie;
  if (origin !== null) headers.origin = origin;
  if (h.contentType[0] !== null) headers["content-type"] = h.contentType[0];
  if (h.huge) headers[h.huge.header] = `${headers[h.huge.header] ?? ""}${"A".repeat(h.huge.size)}`;
  const body = h.body ? bodyBytes(h.body, routeTarget?.route ?? null, fx) : null;
  return {
    wire: { method: h.method, path: path + h.query, headers, body, chunked: h.chunked, viaHttp: h.viaHttp },
    routeTarget,
    authorization: headers.authorization ?? null,
    cookie: headers.cookie ?? null,
    origin: headers.origin ?? null,
    contentTypeJson: h.contentType[1],
  };
}

// ---------------------------------------------------------------------------------------------
// What the server must answer, when the request alone decides it.
// ---------------------------------------------------------------------------------------------

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/;
const httpTrim = (value: string) => value.replace(/^[\t ]+|[\t ]+$/g, "");

/** Who the server will take the caller for; "unknown" when the cookie header is beyond this model. */
function identity(r: Resolved, fx: Fixture): { who: "admin" | "member" | "anonymous" | "unknown"; viaCookie: boolean } {
  const whose = (token: string) => (token === fx.adminToken ? "admin" : token === fx.memberToken ? "member" : "anonymous");
  const bearer = r.authorization === null ? undefined : BEARER.exec(httpTrim(r.authorization))?.[1];
  if (bearer) return { who: whose(bearer), viaCookie: false };
  if (r.cookie === null) return { who: "anonymous", viaCookie: false };
  const cookie = /^commune_session=([A-Za-z0-9_-]{16,128})$/.exec(httpTrim(r.cookie))?.[1];
  return cookie ? { who: whose(cookie), viaCookie: true } : { who: "unknown", viaCookie: false };
}

/** The body as the server reads it (Request.text(): UTF-8 with replacement characters, leading BOMs dropped). */
const serverText = (bytes: Uint8Array | null) => new Request("http://localhost/", { method: "POST", body: bytes?.slice() ?? null }).text();

async function expectedCode(r: Resolved, fx: Fixture, self: string): Promise<ErrorCode | null> {
  const target = r.routeTarget;
  if (!target || target.texts.some((t) => t === null)) return null;
  const { method, body } = r.wire;
  const api = target.route.template.startsWith("/api/v1/");
  if (api && body && body.length > MAX_BODY && method !== "GET" && method !== "HEAD") return "payload_too_large";
  const caller = identity(r, fx);
  if (api && caller.viaCookie && caller.who !== "anonymous" && !SAFE.has(method) && r.origin !== null && r.origin !== self) return "forbidden";
  // an unmodelled cookie may still authenticate, and be refused as cross-site
  if (caller.who === "unknown" && !SAFE.has(method)) return null;
  const matched = ROUTES.find((x) => x.template === target.route.template && (x.method === method || (method === "HEAD" && x.method === "GET")));
  if (!matched) return "not_found";
  if (matched.template === "/healthz" || caller.who === "unknown") return null;
  if (matched.auth === "required" && caller.who === "anonymous") return "unauthenticated";
  for (const [i, name] of matched.params.entries()) {
    const kind = PARAMS[name].kind;
    if (!PARAM_SHAPE[kind].test(target.texts[i]!)) return kind === "token" ? "invite_invalid" : "not_found";
  }
  if (!matched.body || r.contentTypeJson === null) return null;
  if (!r.contentTypeJson) return "unsupported_media_type";
  let value: unknown;
  try {
    value = JSON.parse(await serverText(body));
  } catch {
    return "malformed_json";
  }
  return matched.body.schema.safeParse(value).success ? null : "validation_failed";
}

function describeWire(w: Wire): string {
  const headers = Object.entries(w.headers).map(([k, v]) => `${k}: ${v.length > 120 ? `${v.slice(0, 120)}…(${v.length})` : v}`);
  const body = w.body ? new TextDecoder().decode(w.body) : "";
  return [`${w.method} ${w.path.length > 200 ? `${w.path.slice(0, 200)}…` : w.path}${w.viaHttp ? " (node:http)" : ""}`, ...headers, body.length > 300 ? `${body.slice(0, 300)}…(${w.body!.length} bytes)` : body].join("\n");
}

/** The response invariants: below 500, and every refusal a problem whose code and status agree. */
function checkReply(reply: Reply, wire: Wire): { code: ErrorCode | null } {
  const what = `\n--- request\n${describeWire(wire)}\n--- response\n${reply.status} ${reply.contentType}\n${reply.text.slice(0, 500)}`;
  assert.ok(reply.status >= 200 && reply.status < 500, `status ${reply.status}${what}`);
  if (reply.status < 400) {
    if (reply.status !== 204 && wire.method !== "HEAD") {
      assert.match(reply.contentType, /^application\/json/, `a success answers JSON${what}`);
      JSON.parse(reply.text);
    }
    return { code: null };
  }
  assert.match(reply.contentType, /^application\/problem\+json\b/, `a refusal is problem+json${what}`);
  if (wire.method === "HEAD") return { code: null };
  const problem = JSON.parse(reply.text) as { code?: unknown; status?: unknown; type?: unknown; title?: unknown };
  assert.ok(isErrorCode(problem.code), `a known error code${what}`);
  assert.equal(problem.status, ERROR_STATUS[problem.code], `the problem's status is its code's${what}`);
  assert.equal(reply.status, problem.status, `the response status is the problem's${what}`);
  assert.equal(problem.type, problemType(problem.code), `the problem type names its code${what}`);
  assert.equal(typeof problem.title, "string");
  return { code: problem.code };
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(",");

/** A server under attack, with the fixture it is attacked through and its last known state. */
class Arena {
  readonly t: TestServer;
  fx: Fixture;
  #baseline: Snapshot;
  #last = "";

  private constructor(t: TestServer, fx: Fixture, baseline: Snapshot) {
    this.t = t;
    this.fx = fx;
    this.#baseline = baseline;
  }

  static async open(dialect: TestDialect): Promise<Arena> {
    const t = await startServer(dialect, { trustProxy: true });
    const fx = await buildFixture(t);
    return new Arena(t, fx, await snapshot(t.server.ctx.db));
  }

  get db(): Kysely<Database> {
    return this.t.server.ctx.db;
  }

  /** Sends one hostile request and checks everything that must hold of its answer. */
  async run(h: Hostile): Promise<{ reply: Reply; code: ErrorCode | null; expected: ErrorCode | null; resolved: Resolved }> {
    const resolved = resolve(h, this.fx, this.t.url);
    const expected = await expectedCode(resolved, this.fx, this.t.url);
    let reply: Reply;
    try {
      reply = await send(this.t.url, resolved.wire);
    } catch (error) {
      throw new Error(`no answer to\n${describeWire(resolved.wire)}\n--- after\n${this.#last}`, { cause: error });
    }
    this.#last = `${describeWire(resolved.wire)}\n=> ${reply.status}`;
    const { code } = checkReply(reply, resolved.wire);
    if (expected !== null) {
      const seen = resolved.wire.method === "HEAD" ? reply.status : code;
      assert.equal(seen, resolved.wire.method === "HEAD" ? ERROR_STATUS[expected] : expected, `expected ${expected}\n${describeWire(resolved.wire)}\n${reply.text.slice(0, 300)}`);
    }
    assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(","), PROTOTYPE_KEYS, "Object.prototype was polluted");
    await this.settle(reply.status >= 400 || SAFE.has(resolved.wire.method), resolved.wire);
    return { reply, code, expected, resolved };
  }

  /** A refusal or a read must leave the store as it was; anything else becomes the new baseline. */
  async settle(unchanged: boolean, wire: Wire): Promise<void> {
    const now = await snapshot(this.db);
    if (unchanged) {
      assert.deepEqual(now, this.#baseline, `the store changed after a refused or read-only request\n${describeWire(wire)}`);
      return;
    }
    this.#baseline = now;
    if (!(await fixtureIntact(this.db, this.fx))) {
      this.fx = await buildFixture(this.t);
      this.#baseline = await snapshot(this.db);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------------------------------

/** Every byte outside [A-Za-z0-9_-] percent-encoded, so the text reaches the server as one segment. */
function encodeAll(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function decodeOnce(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

// Raw segments that stay one segment but name nothing: NUL, encoded slashes, double encoding,
// broken and overlong UTF-8, CRLF, bidi overrides, the overlong.
const RAW_SEGMENTS = [
  "%00", "a%00b", "%2F", "a%2Fb", "%2f..%2f", "%252F", "%", "%%", "%ZZ", "%E0%A4%A", "%C0%AE%C0%AE", "%FF%FE",
  "%E2%80%AE", "%E2%81%A6admin%E2%81%A9", "%EF%BB%BF", "%0D%0ASet-Cookie:%20x=1", "%u0041", "..%2F..%2Faccount",
  "%2e%2e%2faccount", "..;", "a;b", "a,b", "~a", "!", "$", "'", "(", "*", "+", "@", ":", "=", "a:b@c",
  "x".repeat(65), "x".repeat(2000), "A".repeat(129), "%41".repeat(129), "%41".repeat(20), "Local-42",
];
// Raw text that changes the path's structure: dot segments (plain and encoded), slashes, nothing.
const RAW_STRUCTURE = ["", ".", "..", "%2e", "%2E%2E", ".%2e", "../..", "../../account", "a/../../healthz", "/", "//", "a/b"];

const param: fc.Arbitrary<Param> = fc.oneof(
  { weight: 5, arbitrary: fc.nat({ max: 1 }).map((known) => ({ known })) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9-]{16,48}$/).map((raw) => ({ raw, text: raw })) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ raw, text: decodeOnce(raw) })) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_STRUCTURE).map((raw) => ({ raw, text: null })) },
  {
    weight: 2,
    arbitrary: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 24 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 })).map((s) => {
      const text = Buffer.from(s, "utf8").toString("utf8");
      return { raw: encodeAll(s), text: text === "." || text === ".." ? null : text };
    }),
  },
);

const mostlyKnownParam: fc.Arbitrary<Param> = fc.oneof({ weight: 6, arbitrary: fc.nat({ max: 1 }).map((known) => ({ known })) }, { weight: 1, arbitrary: param });

const routeTarget = (routes: readonly Route[], p: fc.Arbitrary<Param> = param): fc.Arbitrary<{ route: Route; params: Param[] }> =>
  fc.constantFrom(...routes).chain((r) => fc.tuple(...r.params.map(() => p)).map((params) => ({ route: r, params: params as Param[] })));

const ODD_PATHS = [
  "/", "/api", "/api/", "/api/v1", "/api/v1/", "/api/v2/instance", "/api/v1/instance/", "/api/v1//instance", "/API/V1/INSTANCE",
  "/healthz/", "/HEALTHZ", "/index.html", "/.env", "/.git/config", "/api/v1/problems/not_found", "/api/v1/orgs/", "/api/v1/invites/",
  "/api/v1/sessions/current/extra", "/api/v1/account/../instance", "/api/v1/%2e%2e/%2e%2e/healthz", "/api/v1/instance%00",
  "/api/v1/instance%2F", "/api/v1/instance;x", "//api/v1/instance", "//evil.example/api/v1/account", "/%2F%2Fevil.example",
  `/api/v1/instance?${"a=1&".repeat(400)}`, `/${"a/".repeat(300)}`, "/api/v1/orgs/x/audit/../../../../account",
];
const oddPath: fc.Arbitrary<Target> = fc.oneof(fc.constantFrom(...ODD_PATHS), fc.webPath().map((p) => `/${p.replace(/^\/+/, "")}`)).map((path) => ({ path }));

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "isAdmin", "instance_admin"];
const protoKey = fc.constantFrom(...PROTO_KEYS);

// Control, invisible, bidi and non-BMP characters, lone surrogates included.
const NASTY_CHARS = [
  ..."\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u007f\u0085\u00a0\u00ad\u034f\u061c\u115f\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029",
  ..."\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\u3164\ufeff\ufff9\ufffc\ufffd\ufffe\uffff",
  "\ud800", "\udfff", "\u{e0041}", "\u{1f600}", "\u{10ffff}",
];
const nastyString = fc
  .array(fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.constantFrom("a", "Z", "1", "-", " ", "é", "я", "山", "ا", "%", "\\", '"')), { maxLength: 30 })
  .map((parts) => parts.join(""));
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  nastyString,
  fc.constantFrom("\u202Eevil.exe", "admin\u2066\u2069", "", " ", "null", "undefined", "__proto__", "../../etc/passwd", "'; drop table accounts; --", "<script>alert(1)</script>", "${7*7}", "%00", "\u0000"),
  fc.integer({ min: 100, max: 5000 }).map((n) => "x".repeat(n)),
  fc.constant("A".repeat(60_000)),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -1, 0, 0.5, 2 ** 53 + 2, -(2 ** 31)),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), protoKey), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);
const escalation = fc.constantFrom({ isAdmin: true }, { role: "admin" }, { instance_admin: 1 }, { polluted: "yes" });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("replace" as const), pick: fc.nat(), value: fc.oneof(wrongType, hostileString) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("extra" as const), key: fc.oneof(protoKey, fc.string({ maxLength: 8 })), value: fc.oneof(escalation, fc.jsonValue({ maxDepth: 2 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("nest" as const), pick: fc.nat(), key: protoKey, value: escalation }) },
);

const DEEP = ["[".repeat(30_000) + "]".repeat(30_000), `{"name":${"[".repeat(20_000)}${"]".repeat(20_000)}}`, `{"languages":${'{"a":'.repeat(6_000)}1${"}".repeat(6_000)}}`];
const jsonText = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: fc.object({ key: fc.oneof(fc.string({ maxLength: 10 }), protoKey), values: [fc.jsonValue({ maxDepth: 1 })], maxDepth: 2, maxKeys: 5 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.constantFrom(...DEEP, '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"polluted":"yes"}}}') },
);
const notJson = fc.oneof(
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom("", "{", "}", "[", '{"a":1,}', "{'a':1}", "NaN", "undefined", '{"a":}', '"unterminated', '{"a":1}}', "01", '{"a":"\\x00"}', "\u0000", "tru", "[1,2", '{"__proto__":', '{"a":"\\ud800"', "\ufeff\ufeff{}", "{}\u0000", "// {}", "{\"a\":1}\n{\"b\":2}"),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ v })).chain((text) => fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n))),
).filter((text) => {
  try {
    // not JSON however many byte order marks the reader drops
    JSON.parse(new TextDecoder().decode(new TextEncoder().encode(text)).replace(/^\ufeff+/, ""));
    return false;
  } catch {
    return true;
  }
});

const JSON_TYPES: readonly ContentType[] = [
  ["application/json", true], ["application/json; charset=utf-8", true], ["APPLICATION/JSON", true], ["Application/Json;charset=UTF-8", true],
  ["application/problem+json", true], ["application/json;", true], ["application/json ;x=y", true],
];
const OTHER_TYPES: readonly ContentType[] = [
  [null, false], ["text/plain", false], ["text/json", false], ["application/jsonp", false], ["application/json-seq", false], ["application/jsonx", false],
  ["application/x-www-form-urlencoded", false], ["multipart/form-data; boundary=x", false], ["application/xml", false], ["*/*", false],
  ["application/vnd.api+json", false], ["json", false], ["application/", false], ["xapplication/json", false], ["application/ json", false],
];
// Header text: what fetch and node:http will put on the wire (no CR, LF, NUL or DEL), Latin-1 included.
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 });
const contentType: fc.Arbitrary<ContentType> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...JSON_TYPES) },
  { weight: 3, arbitrary: fc.constantFrom(...OTHER_TYPES) },
  { weight: 1, arbitrary: headerText.map((v): ContentType => [v, null]) },
);

const signedIn = fc.constantFrom("Bearer {admin}", "Bearer {member}", null);
const garbageAuthorization = fc.oneof(
  fc.constantFrom(
    "Bearer", "Bearer ", "bearer {admin}", "BEARER {admin}", "Bearer  {admin}", "Bearer {admin}x", "Bearer {admin}==", "Bearer {admin} {member}",
    "Bearer {admin},Bearer {member}", "Basic cm9zYTpjb3JyZWN0IGhvcnNl", "Token {admin}", "Bearer null", "Bearer ../../../etc/passwd", "Bearer %00",
    `Bearer ${"A".repeat(129)}`, `Bearer ${"A".repeat(16)}`, "{admin}", "Bearer {admin}\u00a0", "\tBearer {member}\t",
  ),
  fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/).map((token) => `Bearer ${token}`),
  headerText.map((s) => `Bearer ${s}`),
  headerText,
);
const garbageCookie = fc.oneof(
  fc.constantFrom(
    "commune_session=", "commune_session", "commune_session=%E0%A4%A", "commune_session=%00", 'commune_session="{admin}"', "commune_session={admin}; commune_session={member}",
    "x=1; commune_session={admin}", "commune_session=a; commune_session={admin}", "COMMUNE_SESSION={admin}", "commune_session={admin}x", ";;;", "=", "__proto__=x; constructor=y",
  ),
  headerText,
  headerText.map((s) => `commune_session=${s}`),
);
const HEADER_NAMES_TAKEN = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "expect", "te", "trailer", "authorization", "cookie", "origin", "content-type"]);
const extraHeader = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/).filter((n) => !HEADER_NAMES_TAKEN.has(n)), headerText),
  fc.constantFrom<readonly [string, string]>(
    ["x-http-method-override", "DELETE"], ["x-forwarded-for", "{admin}"], ["x-forwarded-for", "1.2.3.4, 5.6.7.8"], ["x-forwarded-host", "evil.example"],
    ["x-forwarded-proto", "https"], ["forwarded", "for=1.2.3.4;host=evil.example"], ["x-original-url", "/api/v1/account"], ["x-rewrite-url", "/api/v1/account"],
    ["accept", "text/html"], ["accept-encoding", "br, gzip, zstd"], ["range", "bytes=0-1"], ["if-none-match", "*"], ["user-agent", "Mozilla/5.0 (Windows NT 10.0) Firefox/1"],
    ["user-agent", "\u00ff".repeat(600)], ["x-forwarded-for", ""],
  ),
);
const origin = fc.constantFrom(null, null, "{self}", "https://evil.example", "null", "http://localhost", "{self}/", "{self}.evil.example");

// Every format character (zero-width joiners, bidi controls, tags…), every control and separator
// character, and the fillers that render as nothing.
const INVISIBLE: string[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  if (/[\p{Cf}\p{Cc}\p{Z}]/u.test(ch)) INVISIBLE.push(ch);
}
INVISIBLE.push("\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u17b4", "\u17b5", "\ufe0f");

// ---------------------------------------------------------------------------------------------
// The suites.
// ---------------------------------------------------------------------------------------------

it("the hostile-input generators aim at every route the server registers", () => {
  const hono = [instanceRoutes, accountRoutes, deviceRoutes, organizationRoutes, inviteRoutes, loopRoutes].flatMap((app) => app.routes.map((r) => `${r.method} /api/v1${r.path}`));
  const ours = ROUTES.filter((r) => r.template !== "/healthz").map(
    (r) => `${r.method} ${r.template.replace("{slug}", ":slug").replace("{account}", ":accountId").replace("{token}", ":token").replace("{attachment}", ":attachmentId").replace(/\{(session|device|invite|circle|room|welcome)\}/, ":id")}`,
  );
  assert.deepEqual([...new Set(ours)].sort(), [...new Set(hono)].sort());
});

for (const dialect of DIALECTS) {
  describe(`hostile input (${dialect})`, () => {
    let arena: Arena;
    before(async () => {
      arena = await Arena.open(dialect);
    });
    after(async () => {
      await arena?.t.close();
    });

    it("random methods on every route, with real and hostile path parameters, as anyone", async () => {
      const request = fc.record({
        method: fc.oneof(fc.constantFrom(...METHODS), fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE")),
        target: fc.oneof({ weight: 5, arbitrary: routeTarget(ROUTES) }, { weight: 1, arbitrary: oddPath }),
        query: fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.webQueryParameters().map((q) => `?${q}`) }),
        authorization: signedIn,
        contentType,
        body: fc.option(fc.oneof(jsonText.map((text): Body => ({ kind: "text", text })), fc.uint8Array({ maxLength: 64 }).map((bytes): Body => ({ kind: "bytes", bytes }))), { freq: 2 }),
        chunked: fc.boolean(),
        viaHttp: fc.boolean(),
      });
      let routed = 0;
      await fc.assert(
        fc.asyncProperty(request, async (h) => {
          const { expected } = await arena.run(hostile(h));
          if (expected !== null) routed++;
        }),
        { numRuns: scale(dialect, 800) },
      );
      assert.ok(routed > 0, "some answers were predicted and checked");
    });

    it("random and near-valid JSON bodies on every route that reads one", async () => {
      const request = fc.record({
        target: routeTarget(BODY_ROUTES, mostlyKnownParam),
        authorization: signedIn,
        contentType: fc.constantFrom(...JSON_TYPES),
        body: fc.oneof(
          { weight: 2, arbitrary: jsonText.map((text): Body => ({ kind: "text", text })) },
          { weight: 5, arbitrary: mutation.map((m): Body => ({ kind: "near-valid", mutation: m })) },
        ),
        chunked: fc.boolean(),
      });
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(request, async (h) => {
          const { code } = await arena.run(hostile({ ...h, method: h.target.route.method }));
          if (code) seen.add(code);
        }),
        { numRuns: scale(dialect, 600) },
      );
      assert.ok(seen.has("validation_failed"), `validation was exercised: ${[...seen].join(", ")}`);
    });

    it("invalid JSON text, binary bodies and wrong content types", async () => {
      const request = fc.record({
        target: routeTarget(BODY_ROUTES, mostlyKnownParam),
        authorization: signedIn,
        contentType,
        body: fc.oneof(
          notJson.map((text): Body => ({ kind: "text", text })),
          fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes): Body => ({ kind: "bytes", bytes })),
          fc.jsonValue({ maxDepth: 2 }).map((v): Body => ({ kind: "text", text: `\ufeff${JSON.stringify(v)}` })),
        ),
        chunked: fc.boolean(),
        viaHttp: fc.boolean(),
      });
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(request, async (h) => {
          const { code } = await arena.run(hostile({ ...h, method: h.target.route.method }));
          if (code) seen.add(code);
        }),
        { numRuns: scale(dialect, 500) },
      );
      for (const code of ["malformed_json", "unsupported_media_type"]) assert.ok(seen.has(code), `${code} was exercised: ${[...seen].join(", ")}`);
    });

    it("bodies beyond 64 KiB are refused with and without a content-length, at the limit they are read", async () => {
      const request = fc.record({
        method: fc.constantFrom("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "GET"),
        // attachment uploads and MLS messages have their own, larger limits (loops-delivery.test.ts)
        target: fc.oneof({ weight: 4, arbitrary: routeTarget(ROUTES.filter((r) => !/\/(attachments|commits|messages|key-packages)$/.test(r.template)), mostlyKnownParam) }, { weight: 1, arbitrary: oddPath }),
        authorization: signedIn,
        contentType: fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES),
        body: fc.record({
          kind: fc.constant("sized" as const),
          size: fc.oneof(fc.constantFrom(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1), fc.integer({ min: MAX_BODY + 1, max: 4 * MAX_BODY })),
          json: fc.boolean(),
        }),
        chunked: fc.boolean(),
        viaHttp: fc.boolean(),
      });
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(request, async (h) => {
          const { code } = await arena.run(hostile(h));
          if (code === "payload_too_large") refused++;
        }),
        { numRuns: scale(dialect, 120) },
      );
      assert.ok(refused > 0, "some bodies were refused as too large");
    });

    it("garbage Authorization, cookies, origins, odd and huge headers", async () => {
      const request = fc.record({
        method: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
        target: routeTarget(ROUTES, mostlyKnownParam),
        authorization: fc.oneof(signedIn, garbageAuthorization),
        cookie: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom("commune_session={admin}", "commune_session={member}") }, { weight: 2, arbitrary: garbageCookie }),
        origin,
        headers: fc.array(extraHeader, { maxLength: 4 }),
        huge: fc.option(fc.record({ header: fc.constantFrom("authorization", "cookie", "x-filler", "user-agent", "x-forwarded-for", "accept-language"), size: fc.integer({ min: 1_000, max: 8_000 }) }), { freq: 3 }),
        body: fc.option(mutation.map((m): Body => ({ kind: "near-valid", mutation: m }))),
        viaHttp: fc.boolean(),
      });
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(request, async ({ method, ...h }) => {
          const { code } = await arena.run(hostile({ ...h, method: method ?? h.target.route.method }));
          if (code) seen.add(code);
        }),
        { numRuns: scale(dialect, 600) },
      );
      assert.ok(seen.has("forbidden") && seen.has("unauthenticated"), `cross-site and signed-out refusals were exercised: ${[...seen].join(", ")}`);
    });

    it("random query strings on the audit log: a valid page or validation_failed, never more than asked", async () => {
      const encodeQuery = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      const key = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("before", "limit") },
        { weight: 1, arbitrary: fc.constantFrom("Before", "LIMIT", "limit[]", "__proto__", "constructor", "toString", "", "li%6Dit", "before%00") },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map(encodeQuery) },
      );
      const value = fc.oneof(
        fc.integer({ min: -5, max: 300 }).map(String),
        fc.stringMatching(/^\d{1,20}$/),
        fc.constantFrom("", "0", "00", "1e2", "1.5", "-1", "+5", "%205", "0x10", "Infinity", "NaN", "null", "[]", "%", "%00", "%31", "%2B1", "1%20", "%D9%A3", "%EF%BC%91", "9007199254740993", "9999999999999999", "99999999999999999"),
        fc.string({ maxLength: 10 }).map(encodeQuery),
      );
      const request = fc.record({
        who: fc.constantFrom("admin", "admin", "member", "anonymous"),
        slug: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 1 }).map((known): Param => ({ known })) }, { weight: 1, arbitrary: param }),
        pairs: fc.array(fc.tuple(key, fc.option(value, { freq: 5 })), { maxLength: 4 }),
      });
      const audit = ROUTES.find((r) => r.template.endsWith("/audit"))!;
      let pages = 0;
      let refusals = 0;
      await fc.assert(
        fc.asyncProperty(request, async ({ who, slug, pairs }) => {
          const query = pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join("&")}`;
          const { reply, code, resolved } = await arena.run(
            hostile({ method: "GET", target: { route: audit, params: [slug] }, query, authorization: who === "anonymous" ? null : `Bearer {${who}}` }),
          );
          const slugText = resolved.routeTarget!.texts[0];
          if (who !== "admin" || slugText === null || !(slugText === arena.fx.orgSlug || slugText === arena.fx.publicSlug)) {
            if (who === "member" && slugText !== null && (slugText === arena.fx.orgSlug || slugText === arena.fx.publicSlug)) assert.equal(code, "forbidden");
            return;
          }
          // the query as the server reads it: the first value of each named parameter
          const parsed: Record<string, string> = Object.create(null);
          for (const [k, v] of new URLSearchParams(query)) if (k !== "" && !(k in parsed)) parsed[k] = v;
          const valid = ListQuery.safeParse(parsed);
          if (!valid.success) {
            assert.equal(code, "validation_failed", `query ${query}`);
            refusals++;
            return;
          }
          assert.equal(reply.status, 200, `query ${query}: ${reply.text}`);
          const page = JSON.parse(reply.text) as { items: { id: string }[]; next: string | null };
          const ids = page.items.map((item) => Number(item.id));
          assert.ok(ids.length <= (valid.data.limit ?? 50));
          assert.ok(ids.every((id, i) => i === 0 || id < ids[i - 1]!), "newest first");
          if (valid.data.before) assert.ok(ids.every((id) => id < Number(valid.data.before)));
          if (page.next !== null) assert.equal(page.next, page.items.at(-1)?.id);
          pages++;
        }),
        { numRuns: scale(dialect, 400) },
      );
      assert.ok(pages > 0 && refusals > 0, `pages ${pages}, refusals ${refusals}`);
    });

    it("NUL in free text is stored or refused, never an internal error", async () => {
      const admin = { authorization: "Bearer {admin}" } as const;
      const circles = ROUTES.find((r) => r.method === "POST" && r.template.endsWith("/circles"))!;
      const org = ROUTES.find((r) => r.method === "PATCH" && r.template === "/api/v1/orgs/{slug}")!;
      const invites = ROUTES.find((r) => r.method === "POST" && r.template.endsWith("/invites"))!;
      const cases: [Route, Record<string, unknown>][] = [
        [org, { description: "before\u0000after" }],
        [circles, { name: "Night shift", description: "\u0000" }],
        [invites, { role: "member", expiresInHours: 1, maxUses: 1, circleIds: ["\u0000"] }],
      ];
      for (const [r, body] of cases) {
        const { reply } = await arena.run(hostile({ ...admin, method: r.method, target: { route: r, params: [{ known: 0 }] }, body: { kind: "text", text: JSON.stringify(body) } }));
        if (reply.status >= 300 || !("description" in body)) continue;
        // accepted: stored exactly as sent
        const stored =
          r === org
            ? await arena.db.selectFrom("organizations").select("description").where("slug", "=", arena.fx.orgSlug).executeTakeFirstOrThrow()
            : await arena.db.selectFrom("circles").select("description").where("id", "=", (JSON.parse(reply.text) as { id: string }).id).executeTakeFirstOrThrow();
        assert.equal(stored.description, body.description);
      }
    });

    it("the server still answers its health check", async () => {
      const response = await fetch(`${arena.t.url}/healthz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: "ok" });
    });
  });

  describe(`usernames at sign-up (${dialect})`, () => {
    // No username can hide inside this password (it has no letters or digits).
    const NAME_PASSWORD = "~!@#$%^&*()+=[]{}";
    let t: TestServer;
    let invite: string;
    let baseline: Snapshot;
    let address = 0;

    before(async () => {
      t = await startServer(dialect, { trustProxy: true });
      const admin = clientFrom(t.url, "usernames-admin");
      await admin.signUp({ username: "rosa", password: PASSWORD, invite: (await t.server.createAdminInvite()).token });
      await admin.createOrganization({ name: "Names", slug: "names", visibility: "private", languages: ["en", "ja", "ar"] });
      invite = (await admin.createInvite("names", { role: "member", expiresInHours: 24, maxUses: null })).token;
      baseline = await snapshot(t.server.ctx.db);
    });
    after(async () => {
      await t?.close();
    });

    /** Signs up through raw fetch from a fresh address; a refusal must leave the store as it was. */
    async function signUp(username: string): Promise<{ status: number; code: ErrorCode | null; issue?: string; id?: string }> {
      const wire: Wire = {
        method: "POST",
        path: "/api/v1/accounts",
        headers: { "content-type": "application/json", "x-forwarded-for": `name-${++address}` },
        body: new TextEncoder().encode(JSON.stringify({ username, password: NAME_PASSWORD, invite })),
        chunked: false,
        viaHttp: false,
      };
      const reply = await send(t.url, wire);
      const { code } = checkReply(reply, wire);
      const now = await snapshot(t.server.ctx.db);
      if (code) {
        assert.deepEqual(now, baseline, `a refused sign-up changed the store: ${JSON.stringify(username)}`);
        const issue = (JSON.parse(reply.text) as { issues?: { path: string; message: string }[] }).issues?.[0];
        return { status: reply.status, code, ...(issue ? { issue: `${issue.path}: ${issue.message}` } : {}) };
      }
      baseline = now;
      return { status: reply.status, code: null, id: (JSON.parse(reply.text) as { account: { id: string } }).account.id };
    }

    async function counts(): Promise<{ accounts: number; uses: number }> {
      const db = t.server.ctx.db;
      const accounts = await db.selectFrom("accounts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const uses = await db.selectFrom("invites").select((eb) => eb.fn.sum<number>("uses").as("n")).where("organization_id", "is not", null).executeTakeFirstOrThrow();
      return { accounts: Number(accounts.n), uses: Number(uses.n) };
    }

    /** What a sign-up with this name must answer, given the names that exist. */
    async function expectedFor(name: string): Promise<ErrorCode | null> {
      const key = normalizeUsername(name.normalize("NFKC").trim());
      if (usernameProblem(key)) return "username_invalid";
      const db = t.server.ctx.db;
      if (await db.selectFrom("accounts").select("id").where("username_key", "=", key).executeTakeFirst()) return "username_taken";
      if (await db.selectFrom("accounts").select("id").where("username_skeleton", "=", skeleton(key)).executeTakeFirst()) return "username_confusable";
      return null;
    }

    it("Japanese, Arabic and other single-script names are accepted; Latin mixed with Cyrillic or Greek is not", async () => {
      for (const name of ["やまだ", "山田太郎", "ヤマダ", "سارة", "Дмитрий", "Ελένη", "José", "Zoë", "민준", "田中yuki", "yamadaやまだ"]) {
        const result = await signUp(name);
        assert.equal(result.status, 201, `${name} is accepted: ${result.code}`);
      }
      for (const name of ["rosа", "аdmin", "pаypal", "Ωmega", "mixedЖ", "ρosa"]) {
        const before = await counts();
        const result = await signUp(name);
        assert.equal(result.code, "username_invalid", name);
        assert.equal(result.issue, "username: mixed_scripts", name);
        assert.deepEqual(await counts(), before);
      }
      // compatibility forms of accepted names are the same names
      for (const [variant, of] of [
        ["ﾔﾏﾀﾞ", "ヤマダ"],
        ["\ufeb3\ufe8e\ufead\ufe93", "سارة"],
        ["Jose\u0301", "José"],
        ["ＺＯË", "Zoë"],
      ] as const) {
        assert.equal(normalizeUsername(variant.normalize("NFKC")), normalizeUsername(of), `${variant} is a form of ${of}`);
        assert.equal((await signUp(variant)).code, "username_taken", variant);
      }
    });

    const HOMOGLYPHS: Record<string, string> = { a: "а", e: "е", o: "о", p: "р", c: "с", x: "х", y: "у" };
    const latinName = fc
      .tuple(
        fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñøåçł"), { minLength: 3, maxLength: 10 }),
        fc.option(fc.constantFrom("_", ".", "-")),
        fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), { minLength: 1, maxLength: 6 }),
      )
      .map(([head, sep, tail]) => `${head.join("")}${sep ?? ""}${tail.join("")}`);
    // names written only with letters that have a Cyrillic twin: the all-Cyrillic copy is confusable
    const twinName = fc
      .tuple(fc.array(fc.constantFrom(...Object.keys(HOMOGLYPHS)), { minLength: 3, maxLength: 8 }), fc.array(fc.constantFrom(..."0123456789"), { maxLength: 3 }))
      .map(([letters, digits]) => letters.join("") + digits.join(""));
    const fullwidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const mathBold = (s: string) =>
      s.replace(/[A-Za-z0-9]/g, (c) => {
        const code = c.charCodeAt(0);
        if (code <= 0x39) return String.fromCodePoint(0x1d7ce + code - 0x30);
        return String.fromCodePoint(code <= 0x5a ? 0x1d400 + code - 0x41 : 0x1d41a + code - 0x61);
      });

    it("an accepted name's case, compatibility and Cyrillic look-alike variants are refused; its upper case signs in", async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(latinName, twinName), async (name) => {
          const key = normalizeUsername(name);
          assert.equal(usernameProblem(key), null, `the generator makes valid names: ${name}`);
          const expected = await expectedFor(name);
          const first = await signUp(name);
          assert.equal(first.code, expected, `${name}: ${first.issue}`);
          if (first.code !== null) return;
          accepted++;
          const before = await counts();
          for (const variant of [name.toUpperCase(), name.toLowerCase(), fullwidth(name), mathBold(name), name.normalize("NFD")]) {
            assert.equal(normalizeUsername(variant.normalize("NFKC")), key, `${variant} normalizes to ${key}`);
            const result = await signUp(variant);
            assert.equal(result.code, "username_taken", `${variant} after ${name}`);
            assert.equal(result.issue, "username: taken");
          }
          const twin = [...key].map((c) => HOMOGLYPHS[c] ?? c).join("");
          if (twin !== key) {
            const result = await signUp(twin);
            const mixed = /\p{Script=Latin}/u.test(twin);
            assert.equal(result.code, mixed ? "username_invalid" : "username_confusable", `${twin} after ${name}`);
            assert.equal(result.issue, mixed ? "username: mixed_scripts" : "username: confusable");
          }
          assert.deepEqual(await counts(), before, "refused sign-ups create no account and use no invite");
          const signIn = await fetch(`${t.url}/api/v1/sessions`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": `name-${++address}` },
            body: JSON.stringify({ username: name.toUpperCase(), password: NAME_PASSWORD }),
          });
          assert.equal(signIn.status, 201);
          assert.equal(((await signIn.json()) as { account: { id: string } }).account.id, first.id);
          baseline = await snapshot(t.server.ctx.db);
        }),
        { numRuns: scale(dialect, 60) },
      );
      assert.ok(accepted > 0);
    });

    it("a name with an invisible, control, bidi or separator character anywhere is refused as invalid", async () => {
      assert.ok(INVISIBLE.includes("\u200d") && INVISIBLE.includes("\u202e") && INVISIBLE.includes("\u2066") && INVISIBLE.includes("\u2069"));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(latinName, fc.constantFrom("やまだ", "山田太郎", "سارة", "rosa")),
          fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { minLength: 1, maxLength: 3 }),
          async (name, inserts) => {
            const chars = [...name];
            for (const [at, ch] of inserts) chars.splice(at % (chars.length + 1), 0, ch);
            const hidden = chars.join("");
            const before = await counts();
            const result = await signUp(hidden);
            assert.equal(result.code, "username_invalid", JSON.stringify(hidden));
            assert.match(result.issue ?? "", /^username: (invisible_or_control|bad_edge)$/, JSON.stringify(hidden));
            assert.deepEqual(await counts(), before);
          },
        ),
        { numRuns: scale(dialect, 250) },
      );
    });
  });
}
