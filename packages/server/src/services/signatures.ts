/**
 * Signing a petition, without an account: proof of work, a signature sealed in the signer's
 * browser, a confirmation mail (double opt-in) and a withdrawal link. The email address is used
 * for the mail and for a keyed deduplication index, then forgotten: it is never stored or logged.
 */
import type { Language, PublicPetition, SignatureConfirmation, SignatureReceipt, SignPetition } from "@commune/protocol";
import { hashToken, newId, newToken } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import { keyedAddressIndex } from "./address-index.ts";
import { sendConfirmationMail } from "./confirmation-mail.ts";
import { petitionMail } from "./petition-mail.ts";
import { closedSince, petitionState } from "./petitions.ts";
import { redeemSolution } from "./proof-of-work.ts";

/** Unconfirmed signatures are forgotten after a week. */
export const PENDING_TTL_MS = 7 * 86_400_000;

/** The proof-of-work purpose of a petition's signatures: a solution cannot be spent elsewhere. */
export function petitionPowPurpose(petitionId: string): string {
  return `petition:${petitionId}`;
}

export interface SignOutcome extends SignatureReceipt {
  /** True when the address had signed already and only a fresh confirmation mail went out. */
  readonly resent: boolean;
}

export async function signPetition(ctx: AppContext, slug: string, input: SignPetition): Promise<SignOutcome> {
  const petition = await ctx.petitionProgress.get(ctx, slug);
  if (petition.state !== "open") throw new AppError("petition_closed", "This petition does not take signatures now.");
  if (!petition.key || petition.key.id !== input.keyId) {
    throw new AppError("key_outdated", "The signature is sealed to a key the organization no longer uses. Reload the page and sign again.");
  }
  if (input.publicName !== null && !petition.fields.showPublicly) {
    throw new AppError("validation_failed", "This petition does not show signers' names.", { issues: [{ path: "publicName", message: "not offered by this petition" }] });
  }
  await redeemSolution(ctx, input.pow, petitionPowPurpose(petition.id));

  const dedup = keyedAddressIndex(ctx, "petition-dedup", petition.id, input.email);
  const confirm = newToken();
  const withdraw = newToken();
  const now = ctx.now();
  let resent = false;
  try {
    await ctx.db
      .insertInto("petition_signatures")
      .values({
        id: newId(),
        petition_id: petition.id,
        status: "pending",
        dedup,
        key_id: input.keyId,
        sealed: input.sealed,
        public_name: input.publicName,
        confirm_hash: hashToken(confirm),
        withdraw_hash: hashToken(withdraw),
        created_at: now,
        confirmed_at: null,
      })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    resent = await signAgain(ctx, petition, dedup, input, hashToken(confirm), hashToken(withdraw), now);
  }
  const mailed = await mailConfirmation(ctx, petition, input.email, input.language, confirm, withdraw);
  return { status: "pending", mailed, resent };
}

/**
 * The address is known. Counted already: refuse, kindly. Still unconfirmed: keep what was signed
 * first (someone else typing the same address must not rewrite it) and mail fresh links.
 * Withdrawn: this is a new signature.
 */
async function signAgain(ctx: AppContext, petition: PublicPetition, dedup: string, input: SignPetition, confirmHash: string, withdrawHash: string, now: number): Promise<boolean> {
  const existing = await ctx.db.selectFrom("petition_signatures").select(["id", "status"]).where("petition_id", "=", petition.id).where("dedup", "=", dedup).executeTakeFirst();
  if (!existing) throw new AppError("conflict", "Another signature with this address arrived at the same moment. Try again.");
  if (existing.status === "confirmed") throw new AppError("already_signed", "This email address has signed this petition already; it counts once. Thank you!");
  if (existing.status === "pending") {
    await ctx.db.updateTable("petition_signatures").set({ confirm_hash: confirmHash, withdraw_hash: withdrawHash }).where("id", "=", existing.id).where("status", "=", "pending").execute();
    return true;
  }
  const updated = await ctx.db
    .updateTable("petition_signatures")
    .set({ status: "pending", key_id: input.keyId, sealed: input.sealed, public_name: input.publicName, confirm_hash: confirmHash, withdraw_hash: withdrawHash, created_at: now, confirmed_at: null })
    .where("id", "=", existing.id)
    .where("status", "=", "withdrawn")
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError("conflict", "Another signature with this address arrived at the same moment. Try again.");
  return false;
}

async function mailConfirmation(ctx: AppContext, petition: PublicPetition, to: string, language: Language, confirm: string, withdraw: string): Promise<boolean> {
  const base = `${ctx.config.publicUrl.replace(/\/$/, "")}/p/${petition.slug}`;
  const title = (petition.translations[language] ?? petition.translations[petition.defaultLanguage])?.title ?? petition.slug;
  const mail = petitionMail(language, { title, organization: petition.organization.name, confirmUrl: `${base}/confirm#${confirm}`, withdrawUrl: `${base}/withdraw#${withdraw}` });
  return sendConfirmationMail(ctx, { to, subject: mail.subject, text: mail.text });
}

export async function confirmSignature(ctx: AppContext, token: string): Promise<SignatureConfirmation> {
  const hash = hashToken(token);
  const row = await ctx.db
    .selectFrom("petition_signatures")
    .innerJoin("petitions", "petitions.id", "petition_signatures.petition_id")
    .select(["petition_signatures.id", "petition_signatures.status", "petitions.id as petition_id", "petitions.slug", "petitions.status as petition_status", "petitions.starts_at", "petitions.ends_at"])
    .where("petition_signatures.confirm_hash", "=", hash)
    .executeTakeFirst();
  if (!row) throw new AppError("confirmation_invalid", "This confirmation link is not valid (any more). Sign again to get a new one.");
  if (row.status === "withdrawn") throw new AppError("signature_withdrawn", "This signature was withdrawn; it cannot be confirmed. Sign again to support the petition.");
  if (row.status === "pending") {
    if (petitionState({ status: row.petition_status, starts_at: row.starts_at, ends_at: row.ends_at }, ctx.now()) !== "open") {
      throw new AppError("petition_closed", "This petition closed before the signature was confirmed.");
    }
    await ctx.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("petition_signatures")
        .set({ status: "confirmed", confirmed_at: ctx.now() })
        .where("id", "=", row.id)
        .where("status", "=", "pending")
        .executeTakeFirst();
      // a second click racing the first: counted once
      if (Number(updated.numUpdatedRows) === 1) {
        await trx.updateTable("petitions").set((eb) => ({ signature_count: eb("signature_count", "+", 1) })).where("id", "=", row.petition_id).execute();
      }
    });
    ctx.petitionProgress.forget(row.slug);
  }
  const count = await ctx.db.selectFrom("petitions").select("signature_count").where("id", "=", row.petition_id).executeTakeFirstOrThrow();
  return { petition: { slug: row.slug }, count: Number(count.signature_count) };
}

/** Withdraws a signature: its sealed content and public name go at once; the link works again harmlessly. */
export async function withdrawSignature(ctx: AppContext, token: string): Promise<{ petition: { slug: string } }> {
  const hash = hashToken(token);
  const row = await ctx.db
    .selectFrom("petition_signatures")
    .innerJoin("petitions", "petitions.id", "petition_signatures.petition_id")
    .select(["petition_signatures.id", "petition_signatures.status", "petitions.id as petition_id", "petitions.slug"])
    .where("petition_signatures.withdraw_hash", "=", hash)
    .executeTakeFirst();
  if (!row) throw new AppError("confirmation_invalid", "This withdrawal link is not valid (any more).");
  if (row.status !== "withdrawn") {
    await ctx.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("petition_signatures")
        .set({ status: "withdrawn", sealed: null, public_name: null })
        .where("id", "=", row.id)
        .where("status", "=", row.status)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1 && row.status === "confirmed") {
        await trx.updateTable("petitions").set((eb) => ({ signature_count: eb("signature_count", "-", 1) })).where("id", "=", row.petition_id).execute();
      }
    });
    ctx.petitionProgress.forget(row.slug);
  }
  return { petition: { slug: row.slug } };
}

/**
 * Deletes what the retention rules say must go: signatures never confirmed within a week, and
 * every signature of a petition closed longer ago than its retention period. The counter keeps its
 * final number. Returns how many went.
 */
export async function deleteExpiredSignatures(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const stale = await ctx.db.deleteFrom("petition_signatures").where("status", "=", "pending").where("created_at", "<", now - PENDING_TTL_MS).executeTakeFirst();
  let deleted = Number(stale.numDeletedRows);
  const retained = await ctx.db.selectFrom("petitions").select(["id", "closed_at", "ends_at", "retention_days"]).where("retention_days", "is not", null).where("status", "!=", "draft").execute();
  for (const petition of retained) {
    const since = closedSince(petition);
    if (since === null || since > now || petition.retention_days === null) continue;
    if (since + petition.retention_days * 86_400_000 > now) continue;
    const gone = await ctx.db.deleteFrom("petition_signatures").where("petition_id", "=", petition.id).executeTakeFirst();
    deleted += Number(gone.numDeletedRows);
  }
  return deleted;
}
