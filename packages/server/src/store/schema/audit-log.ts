import type { Generated } from "kysely";
import type { AuditAction } from "@commune/protocol";
export const auditLogTable = "audit_log";
export interface AuditLogTable {
  id: Generated<number>;
  organization_id: string;
  /** null once the acting account is deleted. */
  actor_id: string | null;
  /** An account or circle id; names are resolved when read, so a deleted account leaves no name here. */
  subject_id: string | null;
  action: AuditAction;
  /** JSON object of non-personal details (roles, counts, circle names). */
  details: string;
  created_at: number;
}
