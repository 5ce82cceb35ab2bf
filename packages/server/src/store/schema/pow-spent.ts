/** A proof-of-work challenge already redeemed, kept until it expires so it cannot be redeemed again. */
export interface PowSpentTable {
  /** The challenge's random nonce (hex), covered by its signature. */
  nonce: string;
  /** When the challenge expires, in milliseconds; the row may be deleted after that. */
  expires_at: number;
}
