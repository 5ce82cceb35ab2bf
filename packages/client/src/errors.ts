import type { ErrorCode, Problem } from "@commune/protocol";
// the zod-free entry: the public pages load this module too
import { ERROR_STATUS, isErrorCode } from "@commune/protocol/public";

/** A refused request, carrying the server's problem details. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = "ApiError";
    this.problem = problem;
  }
  get code(): ErrorCode {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

/** Turns any failed response into an ApiError, even when a proxy answered with HTML. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy or a crash page; fall through to a generic problem
  }
  if (body && typeof body === "object" && isErrorCode((body as { code?: unknown }).code)) {
    return new ApiError(body as Problem);
  }
  const code: ErrorCode = response.status === 429 ? "rate_limited" : response.status >= 500 ? "unavailable" : "validation_failed";
  return new ApiError({ type: "about:blank", title: response.statusText || "Request failed", status: response.status || ERROR_STATUS[code], code });
}
