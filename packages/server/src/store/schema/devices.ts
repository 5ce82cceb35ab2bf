export const devicesTable = "devices";
export interface DevicesTable {
  id: string;
  account_id: string;
  name: string;
  /** Raw Ed25519 public key, base64url. */
  public_key: string;
  created_at: number;
  last_seen_at: number;
}
