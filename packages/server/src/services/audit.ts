import type { AuditAction, AuditEntry, Page } from "@commune/protocol";
import type { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import type { Database } from "../store/schema/index.ts";

export interface AuditRecord {
  readonly organizationId: string;
  readonly actorId: string | null;
  readonly action: AuditAction;
  readonly subjectId?: string | null;
  readonly details?: Record<string, string | number | boolean | null>;
}

/** Appends to an organization's audit log, inside the caller's transaction. */
export async function recordAudit(db: Kysely<Database>, now: number, entry: AuditRecord): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      organization_id: entry.organizationId,
      actor_id: entry.actorId,
      subject_id: entry.subjectId ?? null,
      action: entry.action,
      details: JSON.stringify(entry.details ?? {}),
      created_at: now,
    })
    .execute();
}

/** Newest first; names are resolved now, so deleted accounts appear as null. */
export async function listAudit(ctx: AppContext, organizationId: string, before: number | null, limit: number): Promise<Page<AuditEntry>> {
  let q = ctx.db
    .selectFrom("audit_log as l")
    .leftJoin("accounts as actor", "actor.id", "l.actor_id")
    .leftJoin("accounts as subject", "subject.id", "l.subject_id")
    .leftJoin("circles as circle", "circle.id", "l.subject_id")
    .select([
      "l.id",
      "l.action",
      "l.details",
      "l.created_at",
      "actor.username as actor",
      "subject.username as subjectAccount",
      "circle.name as subjectCircle",
    ])
    .where("l.organization_id", "=", organizationId)
    .orderBy("l.id", "desc")
    .limit(limit + 1);
  if (before !== null) q = q.where("l.id", "<", before);
  const rows = await q.execute();
  const items = rows.slice(0, limit).map(
    (r): AuditEntry => ({
      id: String(r.id),
      action: r.action,
      actor: r.actor ?? null,
      subject: r.subjectAccount ?? r.subjectCircle ?? null,
      details: JSON.parse(r.details) as AuditEntry["details"],
      createdAt: Number(r.created_at),
    }),
  );
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}
