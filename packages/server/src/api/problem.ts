/** The one place where errors become RFC 9457 problem+json responses. */
import { ERROR_STATUS, PROBLEM_CONTENT_TYPE, problemType, type ErrorCode, type Problem } from "@commune/protocol";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

const TITLES: Record<ErrorCode, string> = {
  validation_failed: "The request is not valid",
  malformed_json: "The body is not valid JSON",
  username_invalid: "This username is not allowed",
  password_too_weak: "This password is too weak",
  unauthenticated: "Sign in first",
  invalid_credentials: "Wrong username or password",
  forbidden: "Not allowed",
  device_required: "Register this device first",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  username_taken: "Username taken",
  username_confusable: "Username too similar to another",
  slug_taken: "Address taken",
  last_admin: "The last admin is needed",
  conflict: "Conflict",
  epoch_conflict: "The group moved on: catch up and retry",
  already_signed: "Already signed",
  petition_closed: "The petition is not open",
  key_outdated: "Sealed to an old key",
  form_closed: "The form is not open",
  response_limit_reached: "The form has all the responses it takes",
  already_answered: "Already answered",
  organization_key_missing: "The organization has no key yet",
  confirmation_invalid: "Link no longer valid",
  signature_withdrawn: "The signature was withdrawn",
  invite_invalid: "Invite no longer valid",
  setup_not_available: "Setup is not available",
  pow_invalid: "The proof of work is not valid",
  pow_expired: "The proof of work has expired",
  pow_replayed: "The proof of work was already used",
  payload_too_large: "The body is too large",
  unsupported_media_type: "Send JSON",
  rate_limited: "Too many requests",
  internal: "Something went wrong on the server",
  unavailable: "The service is unavailable",
};

export function problemResponse(code: ErrorCode, detail?: string, extra: { issues?: Problem["issues"]; retryAfter?: number } = {}): Response {
  const status = ERROR_STATUS[code];
  const body: Problem = {
    type: problemType(code),
    title: TITLES[code],
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(extra.issues ? { issues: extra.issues } : {}),
    ...(extra.retryAfter !== undefined ? { retryAfter: extra.retryAfter } : {}),
  };
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store" };
  if (extra.retryAfter !== undefined) headers["retry-after"] = String(extra.retryAfter);
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * Converts anything thrown by a handler. Expected refusals carry their code; everything else is
 * logged by error name and stack frames only (messages can quote request data) and answered with 500.
 */
export function errorToResponse(error: unknown, logger: Logger): Response {
  if (error instanceof AppError) {
    return problemResponse(error.code, error.message, {
      ...(error.issues ? { issues: error.issues } : {}),
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    });
  }
  const e = error as { name?: string; code?: string; stack?: string };
  const frames = (e.stack ?? "").split("\n").filter((l) => l.trimStart().startsWith("at ")).slice(0, 8).join(" | ");
  logger.error("internal_error", { name: e.name ?? typeof error, code: typeof e.code === "string" ? e.code : undefined, frames });
  return problemResponse("internal", "The server could not handle this request. Try again later; if it keeps happening, tell the instance's host.");
}
