import type { Kysely } from "kysely";

/** Loops: KeyPackages, rooms and their members, the ordered event log, and Welcomes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("key_packages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("device_id", "text", (c) => c.notNull().references("devices.id").onDelete("cascade"))
    .addColumn("suite", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("last_resort", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("key_packages_device").on("key_packages").columns(["device_id", "suite", "last_resort"]).execute();

  await db.schema
    .createTable("rooms")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("circle_id", "text", (c) => c.references("circles.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("suite", "text", (c) => c.notNull())
    .addColumn("epoch", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("disappearing_seconds", "integer")
    .addColumn("created_by", "text", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rooms_organization").on("rooms").column("organization_id").execute();
  await db.schema.createIndex("rooms_circle").on("rooms").column("circle_id").unique().execute();

  await db.schema
    .createTable("room_members")
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("added_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("room_members_pk", ["room_id", "account_id"])
    .execute();
  await db.schema.createIndex("room_members_account").on("room_members").column("account_id").execute();

  await db.schema
    .createTable("room_events")
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("epoch", "bigint", (c) => c.notNull())
    .addColumn("sender_device_id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint")
    .addPrimaryKeyConstraint("room_events_pk", ["room_id", "seq"])
    .execute();
  // retries: one event per sender's client id
  await db.schema.createIndex("room_events_client").on("room_events").columns(["room_id", "sender_device_id", "client_id"]).unique().execute();
  await db.schema.createIndex("room_events_expires").on("room_events").column("expires_at").execute();

  await db.schema
    .createTable("welcomes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("device_id", "text", (c) => c.notNull().references("devices.id").onDelete("cascade"))
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("welcomes_device").on("welcomes").column("device_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["welcomes", "room_events", "room_members", "rooms", "key_packages"]) await db.schema.dropTable(table).execute();
}
