/**
 * The organization key through real headless clients against a real server, on both store
 * dialects: the first admin makes it, members read its public half, a second admin's device gets
 * it from the first admin's client, a demoted or removed admin's devices lose their grants,
 * rotation keeps old records readable, the recovery key restores everything on a fresh device,
 * and the server's store never holds a private key.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommuneClient, MemoryDeviceStore, OrganizationKeyError, organizationKeyInfo } from "@commune/client";
import { RecoveryKeyError, fromBase64Url, generateSealKeyPair, open, seal, sign, toBase64Url, type DeviceKeyPair } from "@commune/crypto";
import { sealKeyProofMessage } from "@commune/protocol";
import { sql } from "kysely";
import { DIALECTS, PASSWORD, codeOf, join, orgWithMembers, startServer, type TestServer } from "./helpers.ts";

const text = (s: string) => new TextEncoder().encode(s);
const read = (b: Uint8Array) => new TextDecoder().decode(b);

/** A second device of an account: a fresh key store, signed in with the password. */
async function newDevice(t: TestServer, username: string): Promise<CommuneClient> {
  const c = t.client("second device");
  await c.signIn(username, PASSWORD);
  return c;
}

/** Every value of every row of every table, as text, to search for leaked secrets. */
async function dump(t: TestServer): Promise<string> {
  const db = t.server.ctx.db;
  const tables =
    t.dialect === "sqlite"
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db);
  let out = "";
  for (const { name } of tables.rows) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    out += JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  }
  return out;
}

/** The organization's private keys, opened in the test from this client's own grants. */
async function privateKeysOf(c: CommuneClient, slug: string): Promise<Uint8Array[]> {
  const status = await c.organizationKeyStatus(slug);
  const grants = await c.request<{ keyId: string; sealed: string }[]>("GET", `/api/v1/orgs/${slug}/keys/grants`);
  return grants.map((g) => open(c.device!.sealKeyPair!.privateKey, fromBase64Url(g.sealed), organizationKeyInfo(status.organizationId, g.keyId)));
}

async function grantCount(t: TestServer, accountId: string): Promise<number> {
  const row = await t.server.ctx.db
    .selectFrom("organization_key_grants as g")
    .innerJoin("devices as d", "d.id", "g.device_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("d.account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of DIALECTS) {
  describe(`organization key (${dialect})`, () => {
    it("the first admin makes it; members read the public key; only sealed copies reach the server", async () => {
      await using t = await startServer(dialect);
      const { admin, org, members } = await orgWithMembers(t, "local-42", ["karl"]);
      const karl = members[0]!;
      assert.equal(await karl.currentOrganizationKey(org.slug), null);
      assert.equal(await admin.organizationKeyRing(org.slug), null);

      const { recoveryKey } = await admin.setUpOrganizationKey(org.slug);
      assert.match(recoveryKey, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/);
      const current = await karl.currentOrganizationKey(org.slug);
      assert.ok(current);
      const status = await admin.organizationKeyStatus(org.slug);
      assert.deepEqual(
        status.keys.map((k) => [k.id, k.publicKey, k.retiredAt, k.createdBy]),
        [[current.id, current.publicKey, null, "admin"]],
      );
      assert.ok(status.recovery);
      assert.deepEqual(status.devices.map((d) => [d.username, d.missingKeyIds.length]), [["admin", 0]]);
      const fromService = await (await import("../src/services/organization-keys.ts")).currentOrganizationKey(t.server.ctx, org.id);
      assert.deepEqual(fromService, { id: current.id, publicKey: current.publicKey });

      // a member seals, the admin opens
      const info = text("commune petition p-1");
      const sealed = seal(fromBase64Url(current.publicKey), text("Rosa, rosa@example.org"), info);
      const ring = await admin.organizationKeyRing(org.slug);
      assert.ok(ring);
      assert.equal(ring.currentKeyId, current.id);
      assert.deepEqual(ring.keyIds, [current.id]);
      assert.equal(read(ring.open(current.id, sealed, info)), "Rosa, rosa@example.org");
      assert.equal(read(await ring.openAsync(current.id, sealed, info)), "Rosa, rosa@example.org");

      // members may not read the sealed copies or the admin view, nor make a key
      assert.equal(await codeOf(karl.organizationKeyStatus(org.slug)), "forbidden");
      assert.equal(await codeOf(karl.request("GET", `/api/v1/orgs/${org.slug}/keys/grants`)), "forbidden");
      assert.equal(await codeOf(karl.request("GET", `/api/v1/orgs/${org.slug}/keys/recovery`)), "forbidden");
      assert.equal(await codeOf(karl.setUpOrganizationKey(org.slug)), "forbidden");
      // a second set-up is refused before anything is sent
      await assert.rejects(admin.setUpOrganizationKey(org.slug), (e: unknown) => e instanceof OrganizationKeyError && e.problem === "already_set_up");

      const audit = await admin.audit(org.slug);
      assert.equal(audit.items.filter((e) => e.action === "organization_key.created").length, 1);

      // the store holds public keys and sealed bytes; no private key, no recovery key, in any encoding
      const [privateKey] = await privateKeysOf(admin, org.slug);
      assert.ok(privateKey);
      const stored = await dump(t);
      assert.ok(stored.includes(current.publicKey));
      for (const secret of [toBase64Url(privateKey), Buffer.from(privateKey).toString("hex"), Buffer.from(privateKey).toString("base64"), recoveryKey, recoveryKey.replaceAll("-", "")]) {
        assert.ok(!stored.includes(secret), "a private key or the recovery key reached the store");
      }
      assert.ok(!stored.includes(toBase64Url(admin.device!.sealKeyPair!.privateKey)));
    });

    it("a new admin's device gets the key when another admin's client shares it, and loses it on demotion or removal", async () => {
      await using t = await startServer(dialect);
      const { admin, org } = await orgWithMembers(t);
      await admin.setUpOrganizationKey(org.slug);
      const current = (await admin.currentOrganizationKey(org.slug))!;
      const sealed = seal(fromBase64Url(current.publicKey), text("answer"), text("form f-1"));

      const clara = await join(t, admin, org.slug, "clara", "admin");
      const claraId = (await clara.me()).id;
      assert.equal(await clara.organizationKeyRing(org.slug), null);
      const pending = await clara.request<{ deviceId: string; missingKeyIds: string[] }[]>("GET", `/api/v1/orgs/${org.slug}/keys/pending`);
      assert.deepEqual(pending.map((d) => [d.deviceId, d.missingKeyIds]), [[clara.device!.deviceId, [current.id]]]);
      // clara's own client has nothing to share; the first admin's does
      assert.deepEqual(await clara.shareOrganizationKeys(org.slug), { granted: 0, devices: 0 });
      assert.deepEqual(await admin.shareOrganizationKeys(org.slug), { granted: 1, devices: 1 });
      assert.deepEqual(await admin.shareOrganizationKeys(org.slug), { granted: 0, devices: 0 });
      const ring = await clara.organizationKeyRing(org.slug);
      assert.ok(ring);
      assert.equal(read(ring.open(current.id, sealed, text("form f-1"))), "answer");

      // demoted: every grant of clara's devices goes, and the admin routes close to her
      await admin.changeRole(org.slug, claraId, "organizer");
      assert.equal(await grantCount(t, claraId), 0);
      assert.equal(await codeOf(clara.organizationKeyRing(org.slug)), "forbidden");
      // the pending list no longer names her devices
      assert.deepEqual(await admin.shareOrganizationKeys(org.slug), { granted: 0, devices: 0 });

      // admin again: shared again; then removed from the organization: gone again
      await admin.changeRole(org.slug, claraId, "admin");
      assert.deepEqual(await admin.shareOrganizationKeys(org.slug), { granted: 1, devices: 1 });
      assert.equal(await grantCount(t, claraId), 1);
      await admin.removeMember(org.slug, claraId);
      assert.equal(await grantCount(t, claraId), 0);

      // a grant aimed at a non-admin's device is refused, and changes nothing
      const karl = await join(t, admin, org.slug, "karl", "member");
      const [key] = await privateKeysOf(admin, org.slug);
      const toKarl = toBase64Url(seal(karl.device!.sealKeyPair!.publicKey, key!, organizationKeyInfo(org.id, current.id)));
      assert.equal(await codeOf(admin.request("POST", `/api/v1/orgs/${org.slug}/keys/grants`, { grants: [{ keyId: current.id, deviceId: karl.device!.deviceId, sealed: toKarl }] })), "forbidden");
      assert.equal(await grantCount(t, (await karl.me()).id), 0);
    });

    it("rotation: new records use the new key, old ones stay readable, every admin device and the recovery key get it", async () => {
      await using t = await startServer(dialect);
      const { admin, org, members } = await orgWithMembers(t, "local-42", ["karl"]);
      const karl = members[0]!;
      const { recoveryKey } = await admin.setUpOrganizationKey(org.slug);
      const clara = await join(t, admin, org.slug, "clara", "admin");
      await admin.shareOrganizationKeys(org.slug);
      const first = (await admin.currentOrganizationKey(org.slug))!;
      const info = text("petition p-2");
      const before = seal(fromBase64Url(first.publicKey), text("signed before"), info);

      const { keyId } = await admin.rotateOrganizationKey(org.slug);
      const second = (await karl.currentOrganizationKey(org.slug))!;
      assert.equal(second.id, keyId);
      assert.notEqual(second.publicKey, first.publicKey);
      const after = seal(fromBase64Url(second.publicKey), text("signed after"), info);
      for (const c of [admin, clara]) {
        const ring = (await c.organizationKeyRing(org.slug))!;
        assert.equal(ring.currentKeyId, keyId);
        assert.deepEqual(ring.keyIds, [keyId, first.id]);
        assert.equal(read(ring.open(first.id, before, info)), "signed before");
        assert.equal(read(ring.open(keyId, after, info)), "signed after");
        // each record opens only with its own key
        assert.throws(() => ring.open(keyId, before, info), { name: "SealError" });
      }
      const status = await admin.organizationKeyStatus(org.slug);
      assert.deepEqual(status.keys.map((k) => [k.id, k.retiredAt === null]), [[keyId, true], [first.id, false]]);
      assert.equal((await admin.audit(org.slug)).items[0]!.action, "organization_key.rotated");

      // a rotation built on the old key is stale: refused, and nothing changes
      const stale = await codeOf(
        admin.request("POST", `/api/v1/orgs/${org.slug}/keys`, {
          id: "stale-rotation",
          publicKey: first.publicKey,
          replaces: first.id,
          grants: [{ keyId: "stale-rotation", deviceId: admin.device!.deviceId, sealed: "A".repeat(107) }],
          recovery: { sealed: "A".repeat(107) },
        }),
      );
      assert.equal(stale, "conflict");
      assert.equal((await admin.currentOrganizationKey(org.slug))!.id, keyId);

      // the recovery key made at set-up opens the rotated key too, on a device that had nothing
      const fresh = await newDevice(t, "admin");
      assert.equal(await fresh.organizationKeyRing(org.slug), null);
      assert.deepEqual(await fresh.recoverOrganizationKey(org.slug, recoveryKey.toLowerCase().replaceAll("-", " ")), { keys: 2 });
      const ring = (await fresh.organizationKeyRing(org.slug))!;
      assert.equal(read(ring.open(first.id, before, info)), "signed before");
      assert.equal(read(ring.open(keyId, after, info)), "signed after");
      assert.ok((await admin.audit(org.slug)).items.some((e) => e.action === "organization_key.recovered"));
    });

    it("two admins rotating at once: one key wins, the other is told to reload", async () => {
      await using t = await startServer(dialect);
      const { admin, org } = await orgWithMembers(t);
      await admin.setUpOrganizationKey(org.slug);
      const clara = await join(t, admin, org.slug, "clara", "admin");
      await admin.shareOrganizationKeys(org.slug);
      const results = await Promise.allSettled([admin.rotateOrganizationKey(org.slug), clara.rotateOrganizationKey(org.slug)]);
      const won = results.filter((r) => r.status === "fulfilled");
      assert.ok(won.length >= 1);
      for (const r of results) if (r.status === "rejected") assert.equal((r.reason as { code?: string }).code, "conflict");
      const keys = (await admin.organizationKeyStatus(org.slug)).keys;
      assert.equal(keys.filter((k) => k.retiredAt === null).length, 1);
      assert.equal(keys.length, 1 + won.length);
    });

    it("recovery: refuses typos and another organization's key; a new recovery key replaces the old", async () => {
      await using t = await startServer(dialect);
      const admin = await t.admin();
      await admin.createOrganization({ name: "One", slug: "one", visibility: "private", languages: ["en"] });
      await admin.createOrganization({ name: "Two", slug: "two", visibility: "private", languages: ["en"] });
      const one = await admin.setUpOrganizationKey("one");
      const two = await admin.setUpOrganizationKey("two");
      const fresh = await newDevice(t, "admin");
      const compact = one.recoveryKey.replaceAll("-", "");
      const typo = compact.slice(0, 10) + (compact[10] === "7" ? "8" : "7") + compact.slice(11);
      await assert.rejects(fresh.recoverOrganizationKey("one", typo), (e: unknown) => e instanceof RecoveryKeyError && e.problem === "checksum");
      await assert.rejects(fresh.recoverOrganizationKey("one", two.recoveryKey), (e: unknown) => e instanceof OrganizationKeyError && e.problem === "wrong_recovery_key");
      assert.equal(await fresh.organizationKeyRing("one"), null);

      const { recoveryKey: replaced } = await admin.replaceRecoveryKey("one");
      await assert.rejects(fresh.recoverOrganizationKey("one", one.recoveryKey), (e: unknown) => e instanceof OrganizationKeyError && e.problem === "wrong_recovery_key");
      assert.deepEqual(await fresh.recoverOrganizationKey("one", replaced), { keys: 1 });
      assert.ok(await fresh.organizationKeyRing("one"));
      assert.ok((await admin.audit("one")).items.some((e) => e.action === "organization_key.recovery_replaced"));
    });

    it("device sealing keys: signed by the device, published by devices stored before they existed, checked by the server", async () => {
      await using t = await startServer(dialect);
      const store = new MemoryDeviceStore();
      const invite = await t.server.createAdminInvite();
      const first = new CommuneClient({ baseUrl: t.url, deviceStore: store });
      const signed = await first.signUp({ username: "rosa", password: PASSWORD, invite: invite.token });
      const device = first.device!;
      const row = await t.server.ctx.db.selectFrom("device_seal_keys").selectAll().where("device_id", "=", device.deviceId).executeTakeFirstOrThrow();
      assert.equal(row.public_key, toBase64Url(device.sealKeyPair!.publicKey));

      // a device saved before sealing keys existed gets one at its next start, and publishes it
      await t.server.ctx.db.deleteFrom("device_seal_keys").execute();
      const { sealKeyPair: _dropped, ...old } = device;
      await store.save(old);
      const again = new CommuneClient({ baseUrl: t.url, deviceStore: store, token: signed.token });
      const restored = await again.ensureDevice(signed.account.id);
      assert.equal(restored.deviceId, device.deviceId);
      assert.ok(restored.sealKeyPair);
      assert.ok((await store.load(signed.account.id))!.sealKeyPair);
      const republished = await t.server.ctx.db.selectFrom("device_seal_keys").select("public_key").where("device_id", "=", device.deviceId).executeTakeFirstOrThrow();
      assert.equal(republished.public_key, toBase64Url(restored.sealKeyPair.publicKey));
      // starting again changes nothing
      await again.ensureDevice(signed.account.id);
      assert.equal((await t.server.ctx.db.selectFrom("device_seal_keys").selectAll().execute()).length, 1);

      const put = (body: unknown) => again.request("PUT", "/api/v1/devices/current/seal-key", body);
      const keyPair: DeviceKeyPair = restored.keyPair;
      const other = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
      // signed by nobody, or over another key
      assert.equal(await codeOf(put({ publicKey: other, signature: "A".repeat(86) })), "validation_failed");
      const signatureOfCurrent = await sign(keyPair.privateKey, sealKeyProofMessage(signed.account.id, device.deviceId, toBase64Url(restored.sealKeyPair.publicKey)));
      assert.equal(await codeOf(put({ publicKey: other, signature: signatureOfCurrent })), "validation_failed");
      // a low-order point, properly signed
      const zero = toBase64Url(new Uint8Array(32));
      assert.equal(await codeOf(put({ publicKey: zero, signature: await sign(keyPair.privateKey, sealKeyProofMessage(signed.account.id, device.deviceId, zero)) })), "validation_failed");
      assert.equal((await t.server.ctx.db.selectFrom("device_seal_keys").select("public_key").executeTakeFirstOrThrow()).public_key, republished.public_key);

      // a new key replaces the old and drops the grants sealed to it
      await first.createOrganization({ name: "Local", slug: "local", visibility: "private", languages: ["en"] });
      await again.setUpOrganizationKey("local");
      assert.equal(await grantCount(t, signed.account.id), 1);
      await put({ publicKey: other, signature: await sign(keyPair.privateKey, sealKeyProofMessage(signed.account.id, device.deviceId, other)) });
      assert.equal(await grantCount(t, signed.account.id), 0);
    });

    it("a key cannot be made without a grant for the maker's own device, or without a recovery key", async () => {
      await using t = await startServer(dialect);
      const { admin, org } = await orgWithMembers(t);
      const clara = await join(t, admin, org.slug, "clara", "admin");
      const pub = toBase64Url(generateSealKeyPair().publicKey);
      const grant = (deviceId: string) => ({ keyId: "k1", deviceId, sealed: "A".repeat(107) });
      const post = (body: unknown) => admin.request("POST", `/api/v1/orgs/${org.slug}/keys`, body);
      assert.equal(await codeOf(post({ id: "k1", publicKey: pub, replaces: null, grants: [grant(clara.device!.deviceId)], recovery: { recoveryPublicKey: pub, sealed: "A".repeat(107) } })), "validation_failed");
      assert.equal(await codeOf(post({ id: "k1", publicKey: pub, replaces: null, grants: [grant(admin.device!.deviceId)], recovery: { sealed: "A".repeat(107) } })), "validation_failed");
      assert.equal(await codeOf(post({ id: "k1", publicKey: pub, replaces: "k0", grants: [grant(admin.device!.deviceId)], recovery: { recoveryPublicKey: pub, sealed: "A".repeat(107) } })), "conflict");
      assert.equal((await admin.organizationKeyStatus(org.slug)).keys.length, 0);
      assert.equal(await admin.currentOrganizationKey(org.slug), null);
    });
  });
}
