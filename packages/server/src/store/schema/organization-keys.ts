export const organizationKeysTable = "organization_keys";
/** An organization's HPKE public keys; the one with `retired_at` null is current. */
export interface OrganizationKeysTable {
  id: string;
  organization_id: string;
  /** Raw X25519 public key, base64url. */
  public_key: string;
  created_at: number;
  /** The admin who made it; null once that account is deleted. */
  created_by: string | null;
  /** When a rotation replaced it; its records stay readable to whoever holds it. */
  retired_at: number | null;
}
