/**
 * A growable buffer of numeric samples (latencies in ms), cheaper than a plain array when a run
 * records millions of them: one Float64Array that doubles when full.
 */
import { percentile } from "./stats.ts";

export class Samples {
  #values: Float64Array;
  #length = 0;
  #sorted: Float64Array | null = null;

  constructor(initialCapacity = 65_536) {
    this.#values = new Float64Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = value;
    this.#sorted = null;
  }

  /** Nearest-rank percentile (p in 0..100); NaN when empty. */
  percentile(p: number): number {
    this.#sorted ??= this.#values.slice(0, this.#length).sort();
    return percentile(this.#sorted, p);
  }

  max(): number {
    return this.#length === 0 ? Number.NaN : this.percentile(100);
  }
}
