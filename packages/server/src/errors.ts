/**
 * The one error type services throw for expected refusals. It is turned into problem+json at exactly
 * one place (api/problem.ts); anything else that escapes is an internal error, logged without
 * request data and answered with a generic 500.
 */
import { ERROR_STATUS, type ErrorCode, type FieldIssue } from "@commune/protocol";

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[] | undefined;
  readonly retryAfter: number | undefined;
  constructor(code: ErrorCode, detail: string, extra: { issues?: readonly FieldIssue[]; retryAfter?: number } = {}) {
    super(detail);
    this.code = code;
    this.issues = extra.issues;
    this.retryAfter = extra.retryAfter;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
