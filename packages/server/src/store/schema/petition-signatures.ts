export const petitionSignaturesTable = "petition_signatures";
/**
 * One signature. `sealed` is the HPKE ciphertext only the organization's key opens; it is
 * cleared when the signer withdraws. `dedup` is HMAC(instance secret, petition, email address).
 */
export interface PetitionSignaturesTable {
  id: string;
  petition_id: string;
  status: "pending" | "confirmed" | "withdrawn";
  dedup: string;
  key_id: string;
  sealed: string | null;
  /** Shown on the public page: only when the signer consented, else null. */
  public_name: string | null;
  /** SHA-256 of the confirmation token; null once used. */
  confirm_hash: string | null;
  /** SHA-256 of the withdrawal token. */
  withdraw_hash: string | null;
  created_at: number;
  confirmed_at: number | null;
}
