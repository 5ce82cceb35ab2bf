/** Turns failures into sentences that tell the person what to do next, in their language. */
import { ApiError } from "@commune/client";
import type { FieldIssue } from "@commune/protocol";
import type { Messages } from "./i18n/index.tsx";

export function errorText(t: Messages, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "rate_limited" && error.problem.retryAfter) return t.errorExtra.retryAfter(Math.ceil(error.problem.retryAfter));
    return t.errors[error.code] ?? t.errorExtra.unknown;
  }
  if (error instanceof TypeError) return t.errorExtra.network; // fetch rejects with TypeError when offline
  return t.errorExtra.unknown;
}

/** Field issues from a `validation_failed` answer, keyed by the first segment of their path. */
export function fieldIssues(error: unknown): Record<string, FieldIssue> {
  const out: Record<string, FieldIssue> = {};
  if (!(error instanceof ApiError) || !error.problem.issues) return out;
  for (const issue of error.problem.issues) {
    const key = issue.path.replace(/^\//, "").split(/[/.]/)[0] ?? "";
    out[key] ??= issue;
  }
  return out;
}

/** Takes any string so code written against a code that a newer protocol renamed still compiles. */
export function isCode(error: unknown, code: ApiError["code"] | (string & {})): boolean {
  return error instanceof ApiError && error.code === code;
}
