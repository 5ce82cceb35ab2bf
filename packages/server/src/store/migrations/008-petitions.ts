import type { Kysely } from "kysely";

/**
 * Petitions and their signatures. A signature is stored sealed to the organization's key; the
 * server keeps beside it only what it must act on: a keyed hash of the email address (to count each
 * address once), hashes of the confirmation and withdrawal tokens, and the display name of signers
 * who asked to be shown.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("petitions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("default_language", "text", (c) => c.notNull())
    .addColumn("translations", "text", (c) => c.notNull())
    .addColumn("goal", "bigint", (c) => c.notNull())
    .addColumn("starts_at", "bigint")
    .addColumn("ends_at", "bigint")
    .addColumn("fields", "text", (c) => c.notNull())
    .addColumn("retention_days", "integer")
    .addColumn("signature_count", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("published_at", "bigint")
    .addColumn("closed_at", "bigint")
    .execute();
  await db.schema.createIndex("petitions_organization").on("petitions").column("organization_id").execute();

  await db.schema
    .createTable("petition_signatures")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("petition_id", "text", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("dedup", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("sealed", "text")
    .addColumn("public_name", "text")
    .addColumn("confirm_hash", "text")
    .addColumn("withdraw_hash", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("confirmed_at", "bigint")
    .execute();
  await db.schema.createIndex("petition_signatures_dedup").on("petition_signatures").columns(["petition_id", "dedup"]).unique().execute();
  await db.schema.createIndex("petition_signatures_confirm").on("petition_signatures").column("confirm_hash").unique().execute();
  await db.schema.createIndex("petition_signatures_withdraw").on("petition_signatures").column("withdraw_hash").unique().execute();
  await db.schema.createIndex("petition_signatures_listing").on("petition_signatures").columns(["petition_id", "status", "confirmed_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("petition_signatures").execute();
  await db.schema.dropTable("petitions").execute();
}
