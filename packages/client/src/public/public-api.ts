/**
 * Requests that need no account: the public pages of petitions and forms. Kept apart from
 * CommuneClient so those pages load only this, the sealing code and the proof-of-work solver.
 */
import type { PowChallenge } from "@commune/protocol";
import { toApiError } from "../errors.ts";

export interface PublicApiOptions {
  /** Server origin; "" in a page served by the server. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Extra headers on every request (benchmarks set X-Forwarded-For through a trusted proxy). */
  readonly headers?: Readonly<Record<string, string>>;
}

export class PublicApi {
  readonly baseUrl: string;
  #fetch: typeof fetch;
  #headers: Readonly<Record<string, string>>;

  constructor(options: PublicApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#headers = options.headers ?? {};
  }

  async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json", ...this.#headers };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await this.#fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body), credentials: "omit" });
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  powChallenge(purpose: string): Promise<PowChallenge> {
    return this.request("POST", "/api/v1/pow/challenges", { purpose });
  }
}
