export const sessionsTable = "sessions";
export interface SessionsTable {
  id: string;
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  account_id: string;
  device_id: string | null;
  /** Coarse software description derived from User-Agent ("Firefox on Android"); never an address. */
  client: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}
