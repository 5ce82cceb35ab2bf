/**
 * Sentences for what went wrong on a public page, each saying what to do next. The account app's
 * `errorText` reads the full catalogs and `ApiError` from the full client; this page has neither.
 */
import type { ErrorCode, Problem } from "@commune/protocol";
import type { PublicMessages } from "./i18n.tsx";

/** The server's problem details of a refused request, or null for any other failure. */
export function problemOf(error: unknown): Problem | null {
  // PublicApi throws the client's ApiError, which the light entry does not export: recognize it by shape
  if (error instanceof Error && error.name === "ApiError" && "problem" in error) return (error as { problem: Problem }).problem;
  return null;
}

export function codeOf(error: unknown): ErrorCode | null {
  return problemOf(error)?.code ?? null;
}

export function publicErrorText(t: PublicMessages, error: unknown): string {
  const problem = problemOf(error);
  if (problem) {
    if (problem.code === "rate_limited" && problem.retryAfter) return t.retryAfter(Math.ceil(problem.retryAfter));
    const sentences: Partial<Record<ErrorCode, string>> = t.errors;
    return sentences[problem.code] ?? t.unknown;
  }
  // fetch rejects with a TypeError when the network is down
  if (error instanceof TypeError) return t.network;
  return t.unknown;
}
