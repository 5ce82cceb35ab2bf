import type { Kysely } from "kysely";

/**
 * Forms and their responses. A response is stored sealed to the organization's key; the server
 * keeps beside it only what it must act on: a keyed hash of the respondent's email address when the
 * form takes one response per address, and the hash of the confirmation token.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("forms")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("default_language", "text", (c) => c.notNull())
    .addColumn("translations", "text", (c) => c.notNull())
    .addColumn("questions", "text", (c) => c.notNull())
    .addColumn("response_limit", "bigint")
    .addColumn("closes_at", "bigint")
    .addColumn("confirm_email", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("one_per_address", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("retention_days", "integer")
    .addColumn("response_count", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("published_at", "bigint")
    .addColumn("closed_at", "bigint")
    .execute();
  await db.schema.createIndex("forms_organization").on("forms").column("organization_id").execute();

  await db.schema
    .createTable("form_responses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("form_id", "text", (c) => c.notNull().references("forms.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("dedup", "text")
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("confirm_hash", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("confirmed_at", "bigint")
    .execute();
  // NULL dedups (forms that accept several responses per address) never collide, on both dialects
  await db.schema.createIndex("form_responses_dedup").on("form_responses").columns(["form_id", "dedup"]).unique().execute();
  await db.schema.createIndex("form_responses_confirm").on("form_responses").column("confirm_hash").unique().execute();
  await db.schema.createIndex("form_responses_listing").on("form_responses").columns(["form_id", "id"]).execute();
  await db.schema.createIndex("form_responses_pending").on("form_responses").columns(["status", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("form_responses").execute();
  await db.schema.dropTable("forms").execute();
}
