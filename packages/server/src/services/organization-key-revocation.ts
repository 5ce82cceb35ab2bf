import type { Kysely } from "kysely";
import type { Database } from "../store/schema/index.ts";

/**
 * Deletes the grants of an account's devices in an organization, inside the caller's transaction:
 * called when an admin is demoted or leaves. Their devices may have kept the keys they opened;
 * rotating the key is what protects records sealed afterwards.
 */
export async function revokeGrantsOf(trx: Kysely<Database>, organizationId: string, accountId: string): Promise<void> {
  await trx
    .deleteFrom("organization_key_grants")
    .where("device_id", "in", (eb) => eb.selectFrom("devices").select("id").where("account_id", "=", accountId))
    .where("key_id", "in", (eb) => eb.selectFrom("organization_keys").select("id").where("organization_id", "=", organizationId))
    .execute();
}
