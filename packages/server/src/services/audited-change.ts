/** A change to an organization's data and its audit entry, written together or not at all. */
import type { AuditAction } from "@commune/protocol";
import type { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import type { Database } from "../store/schema/index.ts";
import { recordAudit } from "./audit.ts";

export interface AuditedChange {
  readonly organizationId: string;
  readonly actorId: string;
  readonly action: AuditAction;
  readonly details: Record<string, string | number | boolean | null>;
}

/**
 * Runs `change` in a transaction that also appends the audit entry, at one moment `now` (passed to
 * `change` and returned). What `change` throws undoes both.
 */
export async function auditedChange(ctx: AppContext, entry: AuditedChange, change: (trx: Kysely<Database>, now: number) => Promise<void>): Promise<number> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await change(trx, now);
    await recordAudit(trx, now, entry);
  });
  return now;
}
