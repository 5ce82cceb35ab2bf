export const organizationKeyGrantsTable = "organization_key_grants";
/** An organization's private key sealed to one admin device's X25519 key (opaque to the server). */
export interface OrganizationKeyGrantsTable {
  key_id: string;
  device_id: string;
  /** HPKE-sealed private key, base64url. */
  sealed: string;
  created_at: number;
}
