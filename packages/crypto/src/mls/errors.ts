/**
 * Expected failures as values. Every asynchronous operation of this module resolves to
 * `{ ok: true, ... }` or `{ ok: false, error }` and does not throw for bad input from the network
 * (malformed bytes, forged or tampered messages, wrong epochs): a client shows or logs the code,
 * keeps its state, and carries on. Only programmer errors (a wrong argument type) throw.
 */

export type MlsErrorCode =
  /** The bytes are not an MLS message of the expected kind (truncated, trailing bytes, unknown fields). */
  | "malformed"
  /** A cipher suite, wire format or credential type this module does not handle. */
  | "unsupported"
  /** The message belongs to another group. */
  | "wrong_group"
  /** A handshake message for an epoch this state has left: the server accepted another commit first. */
  | "stale_epoch"
  /** A message for an epoch this state has not reached: process the commits before it first. */
  | "future_epoch"
  /** An application message from an epoch whose keys were already deleted. */
  | "epoch_expired"
  /** Decryption failed: tampered ciphertext, or keys this member does not have (removed, not yet joined). */
  | "decrypt_failed"
  /** A signature, membership tag or confirmation tag did not verify. */
  | "invalid_signature"
  /** This message was already processed (its key is used up): a redelivery. */
  | "duplicate"
  /** Well-formed but breaks an RFC 9420 rule (bad tree, duplicate key, bad proposal, …). */
  | "invalid_message"
  /** A KeyPackage that is malformed, of another suite, badly signed, or not a Commune identity. */
  | "invalid_key_package"
  /** The Welcome is not addressed to the given KeyPackage. */
  | "not_for_us"
  /** The commit or proposal is valid MLS but the room's policy (the caller's hook) refuses it. */
  | "policy_rejected"
  /** The credential hook refused a member's identity or signature key. */
  | "unauthenticated"
  /** This device is no longer a member of the group (removed, or left). */
  | "not_member"
  /** The operation does not apply (removing an unknown member, removing oneself by commit, …). */
  | "invalid_request"
  /** A bug or an unexpected library failure; the message says more. */
  | "internal";

export interface MlsFailure {
  readonly code: MlsErrorCode;
  /** A sentence for logs; never contains key material. At most 300 characters. */
  readonly message: string;
}

export type MlsResult<T extends object> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: MlsFailure };

export function fail(code: MlsErrorCode, message: string): { readonly ok: false; readonly error: MlsFailure } {
  return { ok: false, error: Object.freeze({ code, message: message.slice(0, 300) }) };
}

/** Internal: thrown inside this module and turned into a failure at its boundary. */
export class MlsOperationError extends Error {
  readonly code: MlsErrorCode;
  constructor(code: MlsErrorCode, message: string) {
    super(message);
    this.name = "MlsOperationError";
    this.code = code;
  }
}

/**
 * Maps what ts-mls and the crypto provider throw to a code. ts-mls throws its own classes, named
 * (ValidationError, CodecError, CryptoVerificationError, CryptoError, UsageError, …); the provider
 * throws HpkeError for failed decryption.
 */
export function toFailure(error: unknown): { readonly ok: false; readonly error: MlsFailure } {
  if (error instanceof MlsOperationError) return fail(error.code, error.message);
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  switch (name) {
    case "CodecError":
      return fail("malformed", message);
    case "CryptoVerificationError":
      return fail("invalid_signature", message);
    case "CryptoError":
    case "HpkeError":
      return fail("decrypt_failed", message);
    case "ValidationError":
      if (/epoch too old/i.test(message)) return fail("epoch_expired", message);
      if (/gen(eration)? in the past/i.test(message)) return fail("duplicate", message);
      if (/credential/i.test(message)) return fail("unauthenticated", message);
      return fail("invalid_message", message);
    case "UsageError":
      return fail("invalid_request", message);
    case "DependencyError":
      return fail("unsupported", message);
    default:
      return fail("internal", `${name || "Error"}: ${message}`);
  }
}

/** Runs an operation, turning anything thrown into a failure. */
export async function attempt<T extends object>(operation: () => Promise<T>): Promise<MlsResult<T>> {
  try {
    return { ok: true, ...(await operation()) };
  } catch (error) {
    return toFailure(error);
  }
}
