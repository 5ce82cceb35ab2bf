import type { Kysely } from "kysely";

/**
 * The MLS cipher suite an organization's new loops use, chosen by its admins: the default
 * (X25519) or the post-quantum hybrid X-Wing. Loops keep the suite they were created with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("organizations")
    .addColumn("loop_suite", "text", (c) => c.notNull().defaultTo("MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519"))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("organizations").dropColumn("loop_suite").execute();
}
