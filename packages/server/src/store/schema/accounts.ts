export const accountsTable = "accounts";
export interface AccountsTable {
  id: string;
  /** As the person typed it (NFKC-normalized), for display. */
  username: string;
  /** Normalized and case-folded: unique. */
  username_key: string;
  /** UTS #39 confusable skeleton of username_key: unique, so look-alike names are refused. */
  username_skeleton: string;
  password_hash: string;
  email: string | null;
  language: string | null;
  instance_admin: number;
  created_at: number;
}
