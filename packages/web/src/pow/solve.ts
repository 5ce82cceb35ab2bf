/**
 * Solves a proof-of-work challenge in the browser without freezing the page: the counters are
 * split between Web Workers (one per core, up to four), each searching every n-th one, and the
 * page hears how far they got for a progress bar. Where workers cannot run, it solves on the page.
 *
 * Written by hand because altcha-lib's own worker pool (`solveChallengeWorkers`) reports nothing
 * until the end, and a signer on a slow phone should see progress.
 */
import { encodePowPayload, powWorkBound, solveProofOfWork } from "@commune/client/proof-of-work";
import type { PowChallenge } from "@commune/protocol";
import type { PowReport, PowWork } from "./messages.ts";

export interface BrowserSolveOptions {
  /** Called as the work goes, with an estimate from 0 to 1 (1 when solved). */
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
  /** How many workers; default: the number of cores, from 1 to 4. */
  readonly concurrency?: number;
}

const MAX_WORKERS = 4;

/**
 * Solves `challenge` and returns the payload to send as `pow`.
 *
 * @example
 * const challenge = await api.powChallenge(`petition:${petition.id}`);
 * const pow = await solvePowInBrowser(challenge, { onProgress: (f) => setProgress(f) });
 */
export function solvePowInBrowser(challenge: PowChallenge, options: BrowserSolveOptions = {}): Promise<string> {
  if (typeof Worker === "undefined") return solveProofOfWork(challenge, options);
  const count = Math.max(1, Math.min(MAX_WORKERS, Math.trunc(options.concurrency ?? navigator.hardwareConcurrency ?? 2)));
  const bound = powWorkBound(challenge);
  // about a hundred progress reports over the whole search, shared between the workers
  const reportEvery = Math.max(1, Math.min(1000, Math.ceil(bound / 100 / count)));
  const { onProgress, signal } = options;
  return new Promise<string>((resolve, reject) => {
    const workers: Worker[] = [];
    const tries = new Array<number>(count).fill(0);
    let done = false;
    const finish = () => {
      done = true;
      for (const worker of workers) worker.terminate();
      signal?.removeEventListener("abort", abort);
    };
    const abort = () => {
      if (done) return;
      finish();
      reject(new DOMException("The proof of work was cancelled.", "AbortError"));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: `proof of work ${i + 1}` });
      workers.push(worker);
      worker.onmessage = (event: MessageEvent<PowReport>) => {
        if (done) return;
        const report = event.data;
        if (report.type === "tries") {
          tries[i] = report.tries;
          onProgress?.(Math.min(0.99, tries.reduce((a, b) => a + b, 0) / bound));
        } else if (report.type === "solution") {
          finish();
          onProgress?.(1);
          resolve(encodePowPayload(challenge, report.solution));
        } else {
          finish();
          reject(new Error(report.message));
        }
      };
      worker.onerror = (event) => {
        if (done) return;
        finish();
        reject(new Error(`the proof-of-work worker failed: ${event.message}`));
      };
      const work: PowWork = { challenge, counterStart: i, counterStep: count, reportEvery };
      worker.postMessage(work);
    }
  });
}
