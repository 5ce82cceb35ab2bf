/** Response bodies of the HTTP API. Times are milliseconds since the Unix epoch. */
import type { Language, Role } from "./constants.ts";
import type { MlsSuite } from "./loops.ts";

export interface InstanceInfo {
  readonly name: string;
  readonly version: string;
  /** True until the first administrator exists. */
  readonly setupRequired: boolean;
  readonly languages: readonly Language[];
  /** Who may create organizations: instance administrators only, or every account. */
  readonly organizationCreation: "admins" | "everyone";
  /** Largest encrypted attachment a loop accepts, in bytes. */
  readonly maxAttachmentBytes: number;
  /**
   * How often each device commits fresh keys in each of its loops, in seconds (the first time
   * within a day of joining, or within this when shorter). See LoopEngine.refresh.
   */
  readonly loopKeyRefreshSeconds: number;
  /** Whether the instance can send mail (confirmation links); organizers are told when it cannot. */
  readonly mail: boolean;
}

export interface Account {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
  readonly language: Language | null;
  readonly instanceAdmin: boolean;
  readonly createdAt: number;
}

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly publicKey: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

export interface Session {
  readonly id: string;
  readonly deviceId: string | null;
  readonly deviceName: string | null;
  /** A coarse description of the software (browser and system), never an address. */
  readonly client: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly current: boolean;
}

export interface SignedIn {
  readonly account: Account;
  /** Bearer token for non-browser clients; browsers also receive it as an HttpOnly cookie. */
  readonly token: string;
  readonly sessionId: string;
  /** The organization joined with the invite, when signing up through one. */
  readonly joined?: OrganizationSummary;
}

export interface OrganizationSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly visibility: "public" | "private";
  readonly languages: readonly Language[];
  readonly description: string;
  readonly role: Role | null;
  readonly memberCount: number;
  readonly createdAt: number;
  /** The MLS cipher suite of the organization's new loops. */
  readonly loopSuite: MlsSuite;
}

export interface Member {
  readonly accountId: string;
  readonly username: string;
  readonly role: Role;
  readonly joinedAt: number;
}

export interface Invite {
  readonly id: string;
  readonly role: Role;
  readonly maxUses: number | null;
  readonly uses: number;
  readonly expiresAt: number;
  readonly revoked: boolean;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly circleIds: readonly string[];
}

export interface CreatedInvite extends Invite {
  /** Shown once: the server keeps only a hash of it. */
  readonly token: string;
  readonly url: string;
}

export interface InvitePreview {
  readonly kind: "organization" | "instance-admin";
  readonly organization: { readonly name: string; readonly slug: string; readonly description: string } | null;
  readonly role: Role | null;
  readonly expiresAt: number;
}

export interface Circle {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly memberCount: number;
  readonly isMember: boolean;
  readonly createdAt: number;
}

export interface CircleDetail extends Circle {
  readonly members: readonly { readonly accountId: string; readonly username: string; readonly addedAt: number }[];
}

export type AuditAction =
  | "organization.created"
  | "organization.updated"
  | "member.joined"
  | "member.left"
  | "member.removed"
  | "member.role_changed"
  | "member.account_deleted"
  | "invite.created"
  | "invite.revoked"
  | "circle.created"
  | "circle.updated"
  | "circle.deleted"
  | "circle.member_added"
  | "circle.member_removed"
  | "petition.created"
  | "petition.published"
  | "petition.closed"
  | "petition.deleted"
  | "petition.signature_deleted"
  | "form.created"
  | "form.published"
  | "form.closed"
  | "form.deleted"
  | "form.response_deleted"
  | "organization_key.created"
  | "organization_key.rotated"
  | "organization_key.recovered"
  | "organization_key.recovery_replaced";

export interface AuditEntry {
  readonly id: string;
  readonly action: AuditAction;
  readonly actor: string | null;
  readonly subject: string | null;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  readonly createdAt: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `before` to get the next (older) page; null at the end. */
  readonly next: string | null;
}

export interface DeletionPreview {
  /** Organizations the account is the last admin of while others remain: deletion is refused until resolved. */
  readonly blockingOrganizations: readonly { readonly slug: string; readonly name: string }[];
  /** Organizations where the account is the only member: they are deleted with it. */
  readonly organizationsDeleted: readonly { readonly slug: string; readonly name: string }[];
  readonly memberships: number;
  readonly devices: number;
  readonly sessions: number;
}
