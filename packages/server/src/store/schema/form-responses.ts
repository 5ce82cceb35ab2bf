export const formResponsesTable = "form_responses";
/**
 * One response. `sealed` is the HPKE ciphertext only the organization's key opens. `dedup` is
 * HMAC(instance secret, form, email address) for forms that take one response per address, else null.
 */
export interface FormResponsesTable {
  id: string;
  form_id: string;
  /** `pending` until the mailed link is opened, for forms that ask for it; else `complete`. */
  status: "pending" | "complete";
  dedup: string | null;
  key_id: string;
  sealed: string;
  /** SHA-256 of the confirmation token; null once used, or when none was mailed. */
  confirm_hash: string | null;
  created_at: number;
  confirmed_at: number | null;
}
