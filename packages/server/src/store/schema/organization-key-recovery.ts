export const organizationKeyRecoveryTable = "organization_key_recovery";
/**
 * An organization's private key sealed to its recovery key. The recovery public key is kept so a
 * rotation seals the new key to it without showing anyone a new recovery key.
 */
export interface OrganizationKeyRecoveryTable {
  key_id: string;
  organization_id: string;
  /** Raw X25519 public key derived from the recovery key, base64url. */
  recovery_public_key: string;
  /** HPKE-sealed private key, base64url. */
  sealed: string;
  created_at: number;
}
