/**
 * Fixed-window counters in memory, keyed by an opaque string (a hashed address, an account key).
 * In-process state is right for the embedded single-process default; several processes behind a
 * load balancer each count on their own, which only makes the limit looser by that factor.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #hits = new Map<string, { count: number; resetAt: number }>();

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts one attempt; returns null when allowed, or the seconds to wait. */
  hit(key: string): number | null {
    const now = this.#now();
    if (this.#hits.size > 100_000) this.#sweep(now);
    let entry = this.#hits.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.#windowMs };
      this.#hits.set(key, entry);
    }
    entry.count++;
    return entry.count > this.#limit ? Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) : null;
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#hits) if (entry.resetAt <= now) this.#hits.delete(key);
  }
}
