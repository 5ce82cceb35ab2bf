import type { Kysely } from "kysely";

/**
 * Spent proof-of-work challenges: a solution is accepted once. Rows live until their challenge
 * expires (after that the challenge is refused as expired anyway) and are then swept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("pow_spent")
    .addColumn("nonce", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("pow_spent_expires").on("pow_spent").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("pow_spent").execute();
}
