/**
 * Proof of work (ALTCHA v2 challenges): what the server hands out and what a solver sends back.
 * Anonymous actions — signing a petition, answering a form — first ask for a challenge bound to a
 * purpose, solve it (a few hundred thousand hashes at most), and send the solution as `pow`.
 */
import { z } from "zod";

/**
 * What a challenge is for: a kind and, usually, the id of the thing, e.g. `petition:<id>` or
 * `form:<id>`. A solution is accepted only for the purpose its challenge was made for.
 */
export const POW_PURPOSE_PATTERN = /^[a-z][a-z0-9-]{0,31}(?::[A-Za-z0-9_-]{1,64})?$/;
export const POW_PURPOSE_MAX = 97;

/** Longest solution payload accepted (a real one is about 700 characters). */
export const POW_PAYLOAD_MAX = 4096;

/** Body of `POST /api/v1/pow/challenges`. */
export const CreatePowChallenge = z.strictObject({
  purpose: z.string().max(POW_PURPOSE_MAX).regex(POW_PURPOSE_PATTERN, "expected a purpose such as petition:<id> or form:<id>"),
});
export type CreatePowChallenge = z.infer<typeof CreatePowChallenge>;

const hex = (length: number) => z.string().length(length).regex(/^[0-9a-f]*$/);

/**
 * A solution as Commune's server issues and accepts it, once decoded from base64 JSON (the ALTCHA
 * payload): SHA-256, deterministic mode (a 16-byte key prefix). Anything else cannot carry a valid
 * signature, so it is refused before any cryptography.
 */
export const PowSolutionPayload = z.strictObject({
  challenge: z.strictObject({
    parameters: z.strictObject({
      algorithm: z.literal("SHA-256"),
      nonce: hex(32),
      salt: hex(32),
      cost: z.literal(1),
      keyLength: z.literal(32),
      keyPrefix: hex(32),
      expiresAt: z.number().int().positive(),
      data: z.strictObject({ purpose: z.string().max(POW_PURPOSE_MAX), max: z.number().int().positive() }),
    }),
    signature: hex(64),
  }),
  solution: z.strictObject({
    counter: z.number().int().min(0).max(0xffffffff),
    derivedKey: hex(64),
    /** Milliseconds the solver took, as ALTCHA's solvers report it; ignored. */
    time: z.number().optional(),
  }),
});
export type PowSolutionPayload = z.infer<typeof PowSolutionPayload>;

/** The signed parameters of an ALTCHA v2 challenge (deterministic mode, SHA-256). */
export interface PowChallengeParameters {
  readonly algorithm: string;
  readonly nonce: string;
  readonly salt: string;
  readonly cost: number;
  readonly keyLength: number;
  readonly keyPrefix: string;
  /** Unix time in seconds after which the server refuses the solution. */
  readonly expiresAt?: number;
  /** Signed data: `purpose`, and `max`, the largest counter the server picks (for a progress bar). */
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

/** A challenge as the server sends it; solve it with `solveProofOfWork` from @commune/client. */
export interface PowChallenge {
  readonly parameters: PowChallengeParameters;
  readonly signature: string;
}
