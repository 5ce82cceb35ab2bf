/**
 * The one output format every benchmark shares: one JSON object per line on stdout, and nothing
 * else there. Progress and diagnostics go to stderr, so `npm run bench -- api > results.jsonl`
 * keeps only results.
 */

export interface Result {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

/** Rounds for reading: 1 decimal from 100 up, 2 from 1 up, 3 below; whole numbers stay whole. */
function tidy(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function createReporter(bench: string): { emit(metric: string, value: number, unit: string): void; log(message: string): void } {
  return {
    emit(metric, value, unit) {
      const result: Result = { bench, metric, value: tidy(value), unit };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
    log(message) {
      process.stderr.write(`[${bench}] ${message}\n`);
    },
  };
}

export type Reporter = ReturnType<typeof createReporter>;
