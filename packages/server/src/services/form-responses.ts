/**
 * Answering a form, without an account: proof of work, answers sealed in the respondent's browser,
 * the closing date and the response limit held atomically, and — when the form asks for it — a
 * confirmation mail. The respondent's address is used for that mail and, for forms that take one
 * response per address, for a keyed deduplication index; then forgotten: never stored or logged.
 */
import { formPowPurpose, type AnswerForm, type PublicForm, type ResponseConfirmation, type ResponseReceipt } from "@commune/protocol";
import type { Kysely } from "kysely";
import { hashToken, newId, newToken } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { FormsTable } from "../store/schema/forms.ts";
import type { Database } from "../store/schema/index.ts";
import { keyedAddressIndex } from "./address-index.ts";
import { sendConfirmationMail } from "./confirmation-mail.ts";
import { formMail } from "./form-mail.ts";
import { definitionOf, formState } from "./forms.ts";
import { currentOrganizationKey } from "./organization-keys.ts";
import { closedSince } from "./petitions.ts";
import { redeemSolution } from "./proof-of-work.ts";

/** Unconfirmed responses are deleted after a week, and free their place under the limit. */
export const PENDING_RESPONSE_TTL_MS = 7 * 86_400_000;

async function publishedForm(ctx: AppContext, slug: string): Promise<FormsTable> {
  const row = await ctx.db.selectFrom("forms").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row || row.status === "draft") throw new AppError("not_found", "No such form.");
  return row;
}

/** What the public page reads: the form's words and questions, its state and the key to seal to. */
export async function publicForm(ctx: AppContext, slug: string): Promise<PublicForm> {
  const row = await publishedForm(ctx, slug);
  const org = await ctx.db.selectFrom("organizations").select(["slug", "name"]).where("id", "=", row.organization_id).executeTakeFirstOrThrow();
  const { defaultLanguage, translations, questions, closesAt, confirmEmail, onePerAddress } = definitionOf(row);
  const state = formState(row, ctx.now());
  return {
    id: row.id,
    slug: row.slug,
    organization: { slug: org.slug, name: org.name },
    state: state === "draft" ? "closed" : state,
    defaultLanguage,
    translations,
    questions,
    closesAt,
    confirmEmail,
    onePerAddress,
    key: await currentOrganizationKey(ctx, row.organization_id),
    mail: ctx.mailer.configured,
  };
}

function refusal(state: ReturnType<typeof formState>): AppError {
  return state === "full"
    ? new AppError("response_limit_reached", "This form has received all the responses it takes.")
    : new AppError("form_closed", "This form does not take responses any more.");
}

/** Takes one place under the limit, if the form is open; refuses with the reason otherwise. */
async function takePlace(trx: Kysely<Database>, formId: string, now: number): Promise<void> {
  const taken = await trx
    .updateTable("forms")
    .set((eb) => ({ response_count: eb("response_count", "+", 1) }))
    .where("id", "=", formId)
    .where("status", "=", "published")
    .where((eb) => eb.or([eb("closes_at", "is", null), eb("closes_at", ">", now)]))
    .where((eb) => eb.or([eb("response_limit", "is", null), eb("response_count", "<", eb.ref("response_limit"))]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return;
  const row = await trx.selectFrom("forms").selectAll().where("id", "=", formId).executeTakeFirst();
  throw refusal(row ? formState(row, now) : "closed");
}

export async function answerForm(ctx: AppContext, slug: string, input: AnswerForm): Promise<ResponseReceipt> {
  const row = await publishedForm(ctx, slug);
  const now = ctx.now();
  const state = formState(row, now);
  if (state !== "open") throw refusal(state);
  const key = await currentOrganizationKey(ctx, row.organization_id);
  if (!key || key.id !== input.keyId) {
    throw new AppError("key_outdated", "The answers are sealed to a key the organization no longer uses. Reload the page and answer again.");
  }
  const { confirmEmail, onePerAddress } = definitionOf(row);
  if (confirmEmail !== (input.email !== null)) {
    const message = confirmEmail ? "this form confirms responses by email: an address is needed" : "this form does not ask for an address";
    throw new AppError("validation_failed", confirmEmail ? "Give an email address for the confirmation." : "This form does not ask for an email address.", { issues: [{ path: "email", message }] });
  }
  const dedup = onePerAddress && input.email !== null ? keyedAddressIndex(ctx, "form-dedup", row.id, input.email) : null;
  const confirm = confirmEmail ? newToken() : null;
  let resent = false;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await takePlace(trx, row.id, now);
      // spent in the same transaction: a refused response leaves the challenge unspent
      await redeemSolution(ctx, input.pow, formPowPurpose(row.id), trx);
      await trx
        .insertInto("form_responses")
        .values({
          id: newId(),
          form_id: row.id,
          status: confirm ? "pending" : "complete",
          dedup,
          key_id: input.keyId,
          sealed: input.sealed,
          confirm_hash: confirm ? hashToken(confirm) : null,
          created_at: now,
          confirmed_at: confirm ? null : now,
        })
        .execute();
    });
  } catch (error) {
    if (dedup === null || !isUniqueViolation(error) || confirm === null) throw error;
    await answerAgain(ctx, row.id, dedup, input.pow, hashToken(confirm));
    resent = true;
  }
  let mailed = false;
  if (confirm && input.email !== null) {
    const base = `${ctx.config.publicUrl.replace(/\/$/, "")}/f/${row.slug}`;
    const translations = definitionOf(row).translations;
    const title = (translations[input.language] ?? translations[row.default_language])?.title ?? row.slug;
    const org = await ctx.db.selectFrom("organizations").select("name").where("id", "=", row.organization_id).executeTakeFirstOrThrow();
    const mail = formMail(input.language, { title, organization: org.name, confirmUrl: `${base}/confirm#${confirm}` });
    mailed = await sendConfirmationMail(ctx, { to: input.email, subject: mail.subject, text: mail.text });
  }
  return { status: confirm ? "pending" : "complete", mailed, resent };
}

/**
 * The address answered already. Confirmed: refuse, kindly. Still unconfirmed: keep what was sent
 * first (someone else typing the same address must not rewrite it) and mail a fresh link.
 */
async function answerAgain(ctx: AppContext, formId: string, dedup: string, pow: string, confirmHash: string): Promise<void> {
  const existing = await ctx.db.selectFrom("form_responses").select(["id", "status"]).where("form_id", "=", formId).where("dedup", "=", dedup).executeTakeFirst();
  if (!existing) throw new AppError("conflict", "Another response with this address arrived at the same moment. Try again.");
  if (existing.status === "complete") throw new AppError("already_answered", "This email address has answered this form already; it counts once. Thank you!");
  await ctx.db.transaction().execute(async (trx) => {
    await redeemSolution(ctx, pow, formPowPurpose(formId), trx);
    await trx.updateTable("form_responses").set({ confirm_hash: confirmHash }).where("id", "=", existing.id).where("status", "=", "pending").execute();
  });
}

/** Confirms a response by its mailed link; a second click is harmless. */
export async function confirmResponse(ctx: AppContext, token: string): Promise<ResponseConfirmation> {
  const row = await ctx.db
    .selectFrom("form_responses")
    .innerJoin("forms", "forms.id", "form_responses.form_id")
    .select(["form_responses.id", "form_responses.status", "forms.slug", "forms.status as form_status", "forms.closes_at"])
    .where("form_responses.confirm_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) throw new AppError("confirmation_invalid", "This confirmation link is not valid (any more). Answer the form again to get a new one.");
  if (row.status === "pending") {
    // the limit was counted on arrival; only the closing date still matters
    if (row.form_status !== "published" || (row.closes_at !== null && Number(row.closes_at) <= ctx.now())) {
      throw new AppError("form_closed", "This form closed before the response was confirmed.");
    }
    await ctx.db.updateTable("form_responses").set({ status: "complete", confirmed_at: ctx.now() }).where("id", "=", row.id).where("status", "=", "pending").execute();
  }
  return { form: { slug: row.slug } };
}

/**
 * Deletes what the retention rules say must go: responses never confirmed within a week (their
 * places under the limit come free), and every response of a form closed longer ago than its
 * retention period. Returns how many went.
 */
export async function deleteExpiredResponses(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const cutoff = now - PENDING_RESPONSE_TTL_MS;
  let deleted = 0;
  const stale = await ctx.db.selectFrom("form_responses").select("form_id").distinct().where("status", "=", "pending").where("created_at", "<", cutoff).execute();
  for (const { form_id } of stale) {
    await ctx.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom("form_responses").where("form_id", "=", form_id).where("status", "=", "pending").where("created_at", "<", cutoff).executeTakeFirst();
      const n = Number(gone.numDeletedRows);
      if (n > 0) await trx.updateTable("forms").set((eb) => ({ response_count: eb("response_count", "-", n) })).where("id", "=", form_id).execute();
      deleted += n;
    });
  }
  const retained = await ctx.db.selectFrom("forms").select(["id", "closed_at", "closes_at", "retention_days"]).where("retention_days", "is not", null).where("status", "!=", "draft").execute();
  for (const form of retained) {
    const since = closedSince({ closed_at: form.closed_at, ends_at: form.closes_at });
    if (since === null || since > now || form.retention_days === null) continue;
    if (since + form.retention_days * 86_400_000 > now) continue;
    const gone = await ctx.db.deleteFrom("form_responses").where("form_id", "=", form.id).executeTakeFirst();
    deleted += Number(gone.numDeletedRows);
  }
  return deleted;
}
