import type { AccountsTable } from "./accounts.ts";
import type { AttachmentsTable } from "./attachments.ts";
import type { AuditLogTable } from "./audit-log.ts";
import type { CircleMembersTable, CirclesTable } from "./circles.ts";
import type { DevicesTable } from "./devices.ts";
import type { DeviceSealKeysTable } from "./device-seal-keys.ts";
import type { OrganizationKeyGrantsTable } from "./organization-key-grants.ts";
import type { OrganizationKeyRecoveryTable } from "./organization-key-recovery.ts";
import type { OrganizationKeysTable } from "./organization-keys.ts";
import type { InvitesTable } from "./invites.ts";
import type { KeyPackagesTable } from "./key-packages.ts";
import type { RoomEventsTable, WelcomesTable } from "./room-events.ts";
import type { RoomMembershipLogTable } from "./room-membership-log.ts";
import type { RoomMembersTable, RoomsTable } from "./rooms.ts";
import type { MembershipsTable } from "./memberships.ts";
import type { OrganizationsTable } from "./organizations.ts";
import type { PetitionSignaturesTable } from "./petition-signatures.ts";
import type { PetitionsTable } from "./petitions.ts";
import type { FormResponsesTable } from "./form-responses.ts";
import type { FormsTable } from "./forms.ts";
import type { PowSpentTable } from "./pow-spent.ts";
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
  key_packages: KeyPackagesTable;
  rooms: RoomsTable;
  room_members: RoomMembersTable;
  room_membership_log: RoomMembershipLogTable;
  room_events: RoomEventsTable;
  welcomes: WelcomesTable;
  attachments: AttachmentsTable;
  pow_spent: PowSpentTable;
  device_seal_keys: DeviceSealKeysTable;
  organization_keys: OrganizationKeysTable;
  organization_key_grants: OrganizationKeyGrantsTable;
  organization_key_recovery: OrganizationKeyRecoveryTable;
  petitions: PetitionsTable;
  petition_signatures: PetitionSignaturesTable;
  forms: FormsTable;
  form_responses: FormResponsesTable;
}

export type { AttachmentsTable, KeyPackagesTable, RoomEventsTable, RoomMembersTable, RoomsTable, WelcomesTable };
export type { AccountsTable, AuditLogTable, CircleMembersTable, CirclesTable, DevicesTable, InvitesTable, MembershipsTable, OrganizationsTable, SessionsTable };
export type { PetitionSignaturesTable, PetitionsTable };
