/**
 * Solving the server's proof-of-work challenges (ALTCHA v2, through `altcha-lib`), in Node and in
 * the browser. The web app runs `solvePowRange` in Web Workers (packages/web/src/pow); headless
 * clients, tests and benchmarks call `solveProofOfWork`.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { solveChallenge, type Challenge, type DeriveKeyFunction, type Solution } from "altcha-lib";
import type { PowChallenge } from "@commune/protocol";

/** A found counter and the key it derives. */
export type PowSolution = Solution;

/**
 * ALTCHA's SHA key derivation (`cost` rounds of SHA-256 over salt ‖ password, truncated to
 * `keyLength`), on @noble/hashes. The library's browser version awaits one WebCrypto digest per
 * round, which measured about ten times slower (12,000 against 130,000 keys per second in Node);
 * its Node version needs `node:crypto`, which browsers lack.
 */
export const deriveSha256Key: DeriveKeyFunction = async (parameters, salt, password) => {
  if (parameters.algorithm !== "SHA-256") throw new Error(`unsupported proof-of-work algorithm ${parameters.algorithm}`);
  let key: Uint8Array = new Uint8Array(salt.length + password.length);
  key.set(salt, 0);
  key.set(password, salt.length);
  for (let i = 0; i < Math.max(1, parameters.cost); i++) key = sha256(key);
  return { derivedKey: key.slice(0, parameters.keyLength ?? 32) };
};

export interface PowRangeOptions {
  /** First counter to try, and the step between tries: workers split the counters this way. */
  readonly counterStart?: number;
  readonly counterStep?: number;
  readonly signal?: AbortSignal;
  /** Called every `reportEvery` tries (default 1,000) with the number of tries so far. */
  readonly onTries?: (tries: number) => void;
  readonly reportEvery?: number;
}

/**
 * Searches the counters `counterStart, counterStart + counterStep, …` for the solution; null if
 * aborted. Throws when the challenge expires first.
 */
export async function solvePowRange(challenge: PowChallenge, options: PowRangeOptions = {}): Promise<PowSolution | null> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  if (options.signal?.aborted) return null;
  let tries = 0;
  const onTries = options.onTries;
  const every = Math.max(1, options.reportEvery ?? 1000);
  const deriveKey: DeriveKeyFunction = onTries
    ? (parameters, salt, password) => {
        if (++tries % every === 0) onTries(tries);
        return deriveSha256Key(parameters, salt, password);
      }
    : deriveSha256Key;
  const expiresAt = challenge.parameters.expiresAt;
  try {
    const solution = await solveChallenge({
      challenge: challenge as Challenge,
      deriveKey,
      controller,
      counterStart: options.counterStart ?? 0,
      counterStep: options.counterStep ?? 1,
      // no point searching past the challenge's expiry (0 would mean "no limit")
      timeout: expiresAt ? Math.max(1, expiresAt * 1000 - Date.now()) : 0,
    });
    if (!solution && !controller.signal.aborted) throw new Error("The proof-of-work challenge expired before it was solved.");
    return solution;
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}

/** The string the server's `redeemSolution` takes: the challenge and its solution, as base64 JSON. */
export function encodePowPayload(challenge: PowChallenge, solution: PowSolution): string {
  // every field is ASCII (hex, numbers, a purpose matching POW_PURPOSE_PATTERN), so btoa suffices
  return btoa(
    JSON.stringify({
      challenge: { parameters: challenge.parameters, signature: challenge.signature },
      solution: { counter: solution.counter, derivedKey: solution.derivedKey },
    }),
  );
}

/** The largest counter the server may have picked: how far a search can have to go. */
export function powWorkBound(challenge: PowChallenge): number {
  const max = challenge.parameters.data?.max;
  return typeof max === "number" && max > 0 ? max : 1_000_000;
}

export interface SolveProofOfWorkOptions {
  readonly signal?: AbortSignal;
  /** Called now and then with an estimate of the share of the work done, from 0 to 1. */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Solves a challenge on this thread and returns the payload to send as `pow`. In a page, prefer
 * the web app's worker-based solver, which keeps the page responsive.
 *
 * @example
 * const challenge = await client.powChallenge(`petition:${petition.id}`);
 * const pow = await solveProofOfWork(challenge);
 */
export async function solveProofOfWork(challenge: PowChallenge, options: SolveProofOfWorkOptions = {}): Promise<string> {
  const bound = powWorkBound(challenge);
  const onProgress = options.onProgress;
  const solution = await solvePowRange(challenge, {
    ...(options.signal ? { signal: options.signal } : {}),
    // about a hundred reports over the whole search
    ...(onProgress ? { onTries: (tries: number) => onProgress(Math.min(0.99, tries / bound)), reportEvery: Math.min(1000, Math.ceil(bound / 100)) } : {}),
  });
  if (!solution) throw new DOMException("The proof of work was cancelled.", "AbortError");
  onProgress?.(1);
  return encodePowPayload(challenge, solution);
}
