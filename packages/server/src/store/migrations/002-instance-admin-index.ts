import type { Kysely } from "kysely";

/** `GET /instance` asks on every call whether an administrator exists: one index probe. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("accounts_instance_admin").on("accounts").column("instance_admin").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("accounts_instance_admin").execute();
}
