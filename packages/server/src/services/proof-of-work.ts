/**
 * Proof of work for anonymous actions (signing a petition, answering a form), with ALTCHA v2
 * challenges made and checked by `altcha-lib` — self-hosted, no third party.
 *
 * Challenges use the library's deterministic mode: the server picks the counter the solver must
 * reach (between half of `powMaxNumber` and all of it) and publishes the first 16 bytes of the key
 * that counter derives; checking a solution costs one HMAC and one SHA-256. Each challenge is bound to a purpose
 * (`petition:<id>`), expires after `powExpirySeconds`, and is accepted once: its nonce is written
 * to `pow_spent` in the store, so the rule holds across processes and restarts.
 */
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { POW_PAYLOAD_MAX, POW_PURPOSE_MAX, POW_PURPOSE_PATTERN, PowSolutionPayload, type PowChallenge } from "@commune/protocol";
import type { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { Database } from "../store/schema/index.ts";

const ALGORITHM = "SHA-256";
// Spent rows outlive their challenge by this much, so a server whose clock runs a little behind
// another's still finds them.
const PURGE_GRACE_MS = 5 * 60_000;

// Derived from the instance secret (data folder): every process of the instance shares it, and it
// never appears in the store or the logs.
function signingSecret(ctx: AppContext): string {
  return ctx.secrets.derive("pow challenge signature").toString("base64url");
}

function checkPurpose(purpose: string): void {
  if (purpose.length > POW_PURPOSE_MAX || !POW_PURPOSE_PATTERN.test(purpose)) {
    throw new AppError("validation_failed", "The purpose of a proof-of-work challenge must look like petition:<id> or form:<id>.");
  }
}

/**
 * Makes a fresh challenge for one purpose. The client solves it (`solveProofOfWork` in
 * @commune/client) and sends the solution with the action, which calls `redeemSolution`.
 */
export async function issueChallenge(ctx: AppContext, purpose: string): Promise<PowChallenge> {
  checkPurpose(purpose);
  const max = ctx.config.powMaxNumber;
  const challenge = await createChallenge({
    algorithm: ALGORITHM,
    cost: 1,
    counter: randomInt(max, Math.ceil(max / 2)),
    deriveKey,
    data: { purpose, max },
    expiresAt: Math.floor(ctx.now() / 1000) + ctx.config.powExpirySeconds,
    hmacSignatureSecret: signingSecret(ctx),
  });
  return challenge as PowChallenge;
}

function decode(payload: string): PowSolutionPayload | null {
  if (typeof payload !== "string" || payload.length > POW_PAYLOAD_MAX || !/^[A-Za-z0-9+/]+={0,2}$/.test(payload)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = PowSolutionPayload.safeParse(json);
  return parsed.success ? parsed.data : null;
}

const invalid = () => new AppError("pow_invalid", "The anti-spam check did not pass. Reload the page and try again.");
const expired = () => new AppError("pow_expired", "The anti-spam check has expired. Reload the page and try again.");

/**
 * Accepts a solved challenge once, for the purpose it was made for; throws AppError `pow_invalid`
 * (forged, malformed, other purpose), `pow_expired` or `pow_replayed`. Pass `db` to spend the
 * challenge inside the caller's transaction, so a refused action leaves it unspent.
 */
export async function redeemSolution(ctx: AppContext, payload: string, purpose: string, db: Kysely<Database> = ctx.db): Promise<void> {
  const decoded = decode(payload);
  if (!decoded) throw invalid();
  const { challenge, solution } = decoded;
  let result;
  try {
    result = await verifySolution({
      challenge: challenge as Challenge,
      solution: solution as Solution,
      deriveKey,
      // no key signature: the library then re-derives the key from the counter, which proves the
      // counter too (a signed key alone would accept any counter sent with the right key)
      hmacSignatureSecret: signingSecret(ctx),
    });
  } catch {
    throw invalid();
  }
  // (the library checks expiry against the wall clock before the signature; ours follows below)
  if (result.expired) throw expired();
  if (!result.verified) throw invalid();
  if (challenge.parameters.data.purpose !== purpose) throw invalid();
  const expiresAt = challenge.parameters.expiresAt * 1000;
  if (ctx.now() >= expiresAt) throw expired();
  const spent = await db
    .insertInto("pow_spent")
    .values({ nonce: challenge.parameters.nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.column("nonce").doNothing())
    .executeTakeFirst();
  if (Number(spent.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new AppError("pow_replayed", "This anti-spam check was already used. Reload the page and try again.");
  }
}

/** Forgets spent challenges that have expired (they are refused as expired anyway); returns how many. */
export async function purgeSpentChallenges(ctx: AppContext): Promise<number> {
  const result = await ctx.db.deleteFrom("pow_spent").where("expires_at", "<", ctx.now() - PURGE_GRACE_MS).executeTakeFirst();
  return Number(result.numDeletedRows);
}
