import type { Role } from "@commune/protocol";
export const invitesTable = "invites";
export interface InvitesTable {
  id: string;
  /** null for an instance-administrator invite. */
  organization_id: string | null;
  /** SHA-256 of the token; the token is shown once, at creation. */
  token_hash: string;
  role: Role | null;
  max_uses: number | null;
  uses: number;
  expires_at: number;
  revoked_at: number | null;
  created_by: string | null;
  created_at: number;
  /** JSON array of circle ids entered on joining. */
  circle_ids: string;
}
