/** The store on both dialects, against real databases: migrations up and down, constraints, cascades. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { openStore, type Store } from "../src/store/database.ts";
import { createMigrator, isCatalogRace } from "../src/store/migrator.ts";
import { migrations } from "../src/store/migrations/index.ts";
import { isUniqueViolation } from "../src/store/errors.ts";
import { DIALECTS, PG_URL, type TestDialect } from "./helpers.ts";

async function withStore(dialect: TestDialect, fn: (store: Store) => Promise<void>): Promise<void> {
  if (dialect === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), "commune-store-"));
    const store = await openStore({ url: `sqlite:${join(dir, "db.sqlite")}` });
    try {
      await fn(store);
    } finally {
      await store.destroy();
      await rm(dir, { recursive: true, force: true });
    }
    return;
  }
  const schema = `s_${randomBytes(6).toString("hex")}`;
  const store = await openStore({ url: PG_URL, pgSchema: schema });
  try {
    await fn(store);
  } finally {
    await store.destroy();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

// Kysely's introspection reads every schema of the database, and PostgreSQL fails it (3F000) when a
// test in another process drops its schema meanwhile: ask for this store's schema only.
async function tableNames(store: Store): Promise<string[]> {
  if (store.dialect === "sqlite") return (await store.db.introspection.getTables()).map((t) => t.name).sort();
  const rows = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${store.schema}`.execute(store.db);
  return rows.rows.map((r) => r.table_name).sort();
}

/** `migrateDown`, looking again if another test's schema change upset the migrator's introspection. */
async function migrateDownOnce(migrator: ReturnType<typeof createMigrator>) {
  let r = await migrator.migrateDown();
  for (let attempt = 0; attempt < 3 && isCatalogRace(r); attempt++) r = await migrator.migrateDown();
  return r;
}

const now = 1_700_000_000_000;
const account = (id: string, key: string, skeleton = key) => ({
  id,
  username: key,
  username_key: key,
  username_skeleton: skeleton,
  password_hash: "x",
  email: null,
  language: null,
  instance_admin: 0,
  created_at: now,
});

for (const dialect of DIALECTS) {
  describe(`store (${dialect})`, () => {
    it("applies every migration, reverts them all, and applies them again", async () => {
      await withStore(dialect, async (store) => {
        assert.deepEqual(await store.migrate(), Object.keys(migrations));
        assert.deepEqual(await store.migrate(), []);
        const all = await tableNames(store);
        for (const t of ["accounts", "audit_log", "circle_members", "circles", "devices", "invites", "key_packages", "memberships", "organizations", "room_events", "room_members", "rooms", "sessions", "welcomes", "attachments"]) {
          assert.ok(all.includes(t), `${t} exists`);
        }
        const migrator = createMigrator(store.db as Kysely<unknown>, store.dialect, store.schema);
        for (let i = 0; i < Object.keys(migrations).length; i++) {
          const r = await migrateDownOnce(migrator);
          assert.equal(r.error, undefined);
        }
        assert.deepEqual((await tableNames(store)).filter((t) => !t.startsWith("kysely_")), []);
        assert.deepEqual(await store.migrate(), Object.keys(migrations));
      });
    });

    it("keeps usernames and their confusable skeletons unique", async () => {
      await withStore(dialect, async (store) => {
        await store.migrate();
        await store.db.insertInto("accounts").values(account("a1", "admin")).execute();
        await assert.rejects(store.db.insertInto("accounts").values(account("a2", "admin", "other")).execute(), (e) => isUniqueViolation(e));
        await assert.rejects(store.db.insertInto("accounts").values(account("a3", "аdmin", "admin")).execute(), (e) => isUniqueViolation(e));
      });
    });

    it("deleting an account cascades to its devices, sessions and memberships, and blanks it in the audit log", async () => {
      await withStore(dialect, async (store) => {
        await store.migrate();
        const db = store.db;
        await db.insertInto("accounts").values([account("a1", "ana"), account("a2", "bo")]).execute();
        await db.insertInto("devices").values({ id: "d1", account_id: "a1", name: "phone", public_key: "k1", created_at: now, last_seen_at: now }).execute();
        await db.insertInto("sessions").values({ id: "s1", token_hash: "h1", account_id: "a1", device_id: "d1", client: "x", created_at: now, last_seen_at: now, expires_at: now + 1 }).execute();
        await db.insertInto("organizations").values({ id: "o1", slug: "o", name: "O", description: "", visibility: "private", languages: "[\"en\"]", created_at: now }).execute();
        await db.insertInto("memberships").values([
          { organization_id: "o1", account_id: "a1", role: "admin", joined_at: now },
          { organization_id: "o1", account_id: "a2", role: "admin", joined_at: now },
        ]).execute();
        await db.insertInto("circles").values({ id: "c1", organization_id: "o1", name: "c", description: "", created_at: now }).execute();
        await db.insertInto("circle_members").values({ circle_id: "c1", account_id: "a1", added_at: now }).execute();
        await db.insertInto("audit_log").values({ organization_id: "o1", actor_id: "a1", subject_id: "a2", action: "member.joined", details: "{}", created_at: now }).execute();
        await db.deleteFrom("accounts").where("id", "=", "a1").execute();
        for (const table of ["devices", "sessions", "circle_members"] as const) {
          assert.equal((await db.selectFrom(table).selectAll().execute()).length, 0, table);
        }
        assert.deepEqual((await db.selectFrom("memberships").select("account_id").execute()).map((r) => r.account_id), ["a2"]);
        const audit = await db.selectFrom("audit_log").selectAll().execute();
        assert.equal(audit.length, 1);
        assert.equal(audit[0]!.actor_id, null);
        // removing a device ends the sessions bound to it
        await db.insertInto("devices").values({ id: "d2", account_id: "a2", name: "laptop", public_key: "k2", created_at: now, last_seen_at: now }).execute();
        await db.insertInto("sessions").values({ id: "s2", token_hash: "h2", account_id: "a2", device_id: "d2", client: "x", created_at: now, last_seen_at: now, expires_at: now + 1 }).execute();
        await db.deleteFrom("devices").where("id", "=", "d2").execute();
        assert.equal((await db.selectFrom("sessions").selectAll().execute()).length, 0);
      });
    });

    if (dialect === "sqlite") {
      it("overwrites what is deleted: a deleted account's name is not left in the file", async () => {
        const dir = await mkdtemp(join(tmpdir(), "commune-store-"));
        const path = join(dir, "db.sqlite");
        const store = await openStore({ url: `sqlite:${path}` });
        try {
          await store.migrate();
          await store.db.insertInto("accounts").values(account("gone", "zelda-quixote-deleted")).execute();
          await store.db.deleteFrom("accounts").where("id", "=", "gone").execute();
        } finally {
          await store.destroy(); // closing checkpoints the WAL into the file
        }
        const bytes = await readFile(path);
        assert.equal(bytes.includes("zelda-quixote-deleted"), false);
        await rm(dir, { recursive: true, force: true });
      });
    }

    it("answers the health ping", async () => {
      await withStore(dialect, async (store) => {
        assert.equal(await store.ping(), true);
      });
    });
  });
}
