import { sql, type Kysely } from "kysely";

/**
 * The organization key (HPKE): its public halves, its private halves sealed to admin devices and
 * to the recovery key, and each device's X25519 sealing key. The server holds no private key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("device_seal_keys")
    .addColumn("device_id", "text", (c) => c.primaryKey().references("devices.id").onDelete("cascade"))
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("organization_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("retired_at", "bigint")
    .execute();
  await db.schema.createIndex("organization_keys_organization").on("organization_keys").columns(["organization_id", "created_at"]).execute();
  // at most one current key per organization, on both dialects: racing rotations cannot both win
  await db.schema
    .createIndex("organization_keys_current")
    .on("organization_keys")
    .column("organization_id")
    .unique()
    .where(sql.ref("retired_at"), "is", null)
    .execute();

  await db.schema
    .createTable("organization_key_grants")
    .addColumn("key_id", "text", (c) => c.notNull().references("organization_keys.id").onDelete("cascade"))
    .addColumn("device_id", "text", (c) => c.notNull().references("devices.id").onDelete("cascade"))
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("organization_key_grants_pk", ["key_id", "device_id"])
    .execute();
  await db.schema.createIndex("organization_key_grants_device").on("organization_key_grants").column("device_id").execute();

  await db.schema
    .createTable("organization_key_recovery")
    .addColumn("key_id", "text", (c) => c.primaryKey().references("organization_keys.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("recovery_public_key", "text", (c) => c.notNull())
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("organization_key_recovery_organization").on("organization_key_recovery").column("organization_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["organization_key_recovery", "organization_key_grants", "organization_keys", "device_seal_keys"]) {
    await db.schema.dropTable(table).execute();
  }
}
