/** Why sealing or opening failed; the message never contains key or plaintext bytes. */
export type SealFailure =
  /** A public key that is not 32 bytes, or a low-order point (the Diffie-Hellman result is all zeros). */
  | "bad_public_key"
  /** A private key that is not 32 bytes. */
  | "bad_private_key"
  /** Shorter than an encapsulated key plus an authentication tag: cannot be a sealed record. */
  | "too_short"
  /** The tag did not verify: wrong key, wrong `info` or `aad`, or altered bytes. */
  | "open_failed";

/** The one error `seal`/`open` (and their async twins) throw. */
export class SealError extends Error {
  override readonly name = "SealError";
  readonly reason: SealFailure;
  constructor(reason: SealFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}
