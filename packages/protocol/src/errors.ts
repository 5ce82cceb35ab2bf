/**
 * The closed set of machine-readable error codes Commune answers with, and the HTTP status of each.
 * A code, once published, never changes meaning: clients and translations key on it.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  username_invalid: 400,
  password_too_weak: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  device_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  username_taken: 409,
  username_confusable: 409,
  slug_taken: 409,
  last_admin: 409,
  conflict: 409,
  epoch_conflict: 409,
  already_signed: 409,
  petition_closed: 409,
  key_outdated: 409,
  form_closed: 409,
  response_limit_reached: 409,
  already_answered: 409,
  organization_key_missing: 409,
  confirmation_invalid: 410,
  signature_withdrawn: 410,
  invite_invalid: 410,
  setup_not_available: 410,
  pow_invalid: 400,
  pow_expired: 410,
  pow_replayed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

/** One field that failed validation: a JSON pointer-ish path and a short reason. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** RFC 9457 problem details, with Commune's stable `code` extension. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail?: string;
  readonly issues?: readonly FieldIssue[];
  /** Seconds to wait, for `rate_limited`. */
  readonly retryAfter?: number;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemType(code: ErrorCode): string {
  return `/api/v1/problems/${code}`;
}
