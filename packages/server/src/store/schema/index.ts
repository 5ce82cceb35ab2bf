import type { AccountsTable } from "./accounts.ts";
import type { AuditLogTable } from "./audit-log.ts";
import type { CircleMembersTable, CirclesTable } from "./circles.ts";
import type { DevicesTable } from "./devices.ts";
import type { InvitesTable } from "./invites.ts";
import type { MembershipsTable } from "./memberships.ts";
import type { OrganizationsTable } from "./organizations.ts";
import type { SessionsTable } from "./sessions.ts";

/** The whole store schema as Kysely sees it: table name → row type. */
export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  sessions: SessionsTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  invites: InvitesTable;
  circles: CirclesTable;
  circle_members: CircleMembersTable;
  audit_log: AuditLogTable;
}

export type { AccountsTable, AuditLogTable, CircleMembersTable, CirclesTable, DevicesTable, InvitesTable, MembershipsTable, OrganizationsTable, SessionsTable };
