/**
 * Petitions as organizers manage them: write, translate, publish, close, delete, and read the
 * sealed signatures (opened in their browser, never here). The public side is in signatures.ts.
 */
import type { CreatePetition, Language, Petition, PetitionFields, PetitionState, PetitionText, SealedSignature, UpdatePetition } from "@commune/protocol";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { PetitionsTable } from "../store/schema/petitions.ts";
import { auditedChange } from "./audited-change.ts";
import { currentOrganizationKey } from "./organization-keys.ts";
import { access } from "./organizations.ts";
import { sealedPage } from "./sealed-page.ts";
import type { Authenticated } from "./sessions.ts";

/** Whether a petition takes signatures at `now`. */
export function petitionState(row: Pick<PetitionsTable, "status" | "starts_at" | "ends_at">, now: number): PetitionState {
  if (row.status === "draft") return "draft";
  if (row.status === "closed") return "closed";
  if (row.ends_at !== null && Number(row.ends_at) <= now) return "closed";
  if (row.starts_at !== null && Number(row.starts_at) > now) return "upcoming";
  return "open";
}

/** When signatures of a closed petition start counting toward its retention period. */
export function closedSince(row: Pick<PetitionsTable, "closed_at" | "ends_at">): number | null {
  const closed = row.closed_at === null ? null : Number(row.closed_at);
  const ends = row.ends_at === null ? null : Number(row.ends_at);
  if (closed === null) return ends;
  return ends === null ? closed : Math.min(closed, ends);
}

export function translationsOf(row: PetitionsTable): Partial<Record<Language, PetitionText>> {
  return JSON.parse(row.translations) as Partial<Record<Language, PetitionText>>;
}

export function fieldsOf(row: PetitionsTable): PetitionFields {
  return JSON.parse(row.fields) as PetitionFields;
}

/** The title in the petition's default language, for audit entries and mail subjects. */
export function titleOf(row: PetitionsTable, language: Language = row.default_language): string {
  const translations = translationsOf(row);
  return (translations[language] ?? translations[row.default_language])?.title ?? row.slug;
}

async function toPetition(ctx: AppContext, row: PetitionsTable, org: { slug: string; name: string }): Promise<Petition> {
  const pending = await ctx.db
    .selectFrom("petition_signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("petition_id", "=", row.id)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    slug: row.slug,
    organization: { slug: org.slug, name: org.name },
    status: row.status,
    state: petitionState(row, ctx.now()),
    defaultLanguage: row.default_language,
    translations: translationsOf(row),
    goal: Number(row.goal),
    startsAt: row.starts_at === null ? null : Number(row.starts_at),
    endsAt: row.ends_at === null ? null : Number(row.ends_at),
    fields: fieldsOf(row),
    retentionDays: row.retention_days,
    count: Number(row.signature_count),
    pending: Number(pending.n),
    createdAt: Number(row.created_at),
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
  };
}

/** The petition, checked to belong to an organization the caller organizes. */
async function organizedPetition(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string) {
  const { org } = await access(ctx, orgSlug, auth.account.id, "organizer");
  const row = await ctx.db.selectFrom("petitions").selectAll().where("id", "=", id).where("organization_id", "=", org.id).executeTakeFirst();
  if (!row) throw new AppError("not_found", "No such petition.");
  return { org, row };
}

export async function createPetition(ctx: AppContext, auth: Authenticated, orgSlug: string, input: CreatePetition): Promise<Petition> {
  const { org } = await access(ctx, orgSlug, auth.account.id, "organizer");
  const now = ctx.now();
  const row: PetitionsTable = {
    id: newId(),
    organization_id: org.id,
    slug: input.slug,
    status: "draft",
    default_language: input.defaultLanguage,
    translations: JSON.stringify(input.translations),
    goal: input.goal,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    fields: JSON.stringify(input.fields),
    retention_days: input.retentionDays,
    signature_count: 0,
    created_by: auth.account.id,
    created_at: now,
    updated_at: now,
    published_at: null,
    closed_at: null,
  };
  try {
    await auditedChange(ctx, { organizationId: org.id, actorId: auth.account.id, action: "petition.created", details: { title: titleOf(row) } }, async (trx) => {
      await trx.insertInto("petitions").values(row).execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("slug_taken", "Another petition already uses this address. Choose another one.");
    throw error;
  }
  return toPetition(ctx, row, org);
}

export async function listPetitions(ctx: AppContext, auth: Authenticated, orgSlug: string): Promise<Petition[]> {
  const { org } = await access(ctx, orgSlug, auth.account.id, "organizer");
  const rows = await ctx.db.selectFrom("petitions").selectAll().where("organization_id", "=", org.id).orderBy("created_at", "desc").execute();
  return Promise.all(rows.map((row) => toPetition(ctx, row, org)));
}

export async function getPetition(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<Petition> {
  const { org, row } = await organizedPetition(ctx, auth, orgSlug, id);
  return toPetition(ctx, row, org);
}

export async function updatePetition(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string, input: UpdatePetition): Promise<Petition> {
  const { org, row } = await organizedPetition(ctx, auth, orgSlug, id);
  if (row.status !== "draft" && (input.fields !== undefined || (input.slug !== undefined && input.slug !== row.slug))) {
    throw new AppError("conflict", "The address and the fields of a published petition cannot change: people have already signed what they saw.");
  }
  const next: PetitionsTable = {
    ...row,
    ...(input.slug !== undefined ? { slug: input.slug } : {}),
    ...(input.defaultLanguage !== undefined ? { default_language: input.defaultLanguage } : {}),
    ...(input.translations !== undefined ? { translations: JSON.stringify(input.translations) } : {}),
    ...(input.goal !== undefined ? { goal: input.goal } : {}),
    ...(input.startsAt !== undefined ? { starts_at: input.startsAt } : {}),
    ...(input.endsAt !== undefined ? { ends_at: input.endsAt } : {}),
    ...(input.fields !== undefined ? { fields: JSON.stringify(input.fields) } : {}),
    ...(input.retentionDays !== undefined ? { retention_days: input.retentionDays } : {}),
    updated_at: ctx.now(),
  };
  if (!translationsOf(next)[next.default_language]) {
    throw new AppError("validation_failed", "The default language needs a translation.", { issues: [{ path: "defaultLanguage", message: "the default language needs a translation" }] });
  }
  if (next.starts_at !== null && next.ends_at !== null && Number(next.ends_at) <= Number(next.starts_at)) {
    throw new AppError("validation_failed", "The end must be after the start.", { issues: [{ path: "endsAt", message: "must be after the start" }] });
  }
  try {
    await ctx.db
      .updateTable("petitions")
      .set({
        slug: next.slug,
        default_language: next.default_language,
        translations: next.translations,
        goal: next.goal,
        starts_at: next.starts_at,
        ends_at: next.ends_at,
        fields: next.fields,
        retention_days: next.retention_days,
        updated_at: next.updated_at,
      })
      .where("id", "=", row.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("slug_taken", "Another petition already uses this address. Choose another one.");
    throw error;
  }
  ctx.petitionProgress.forget(row.slug);
  return toPetition(ctx, next, org);
}

/** Publishing needs the organization's key: signatures are sealed to it from the first one. */
export async function publishPetition(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<Petition> {
  const { org, row } = await organizedPetition(ctx, auth, orgSlug, id);
  if (row.status !== "draft") throw new AppError("conflict", "This petition is already published.");
  if (!(await currentOrganizationKey(ctx, org.id))) {
    throw new AppError("organization_key_missing", "The organization has no encryption key yet: an administrator must set it up before a petition can be published.");
  }
  const now = await auditedChange(ctx, { organizationId: org.id, actorId: auth.account.id, action: "petition.published", details: { title: titleOf(row) } }, async (trx, at) => {
    await trx.updateTable("petitions").set({ status: "published", published_at: at, updated_at: at }).where("id", "=", row.id).execute();
  });
  ctx.petitionProgress.forget(row.slug);
  return toPetition(ctx, { ...row, status: "published", published_at: now, updated_at: now }, org);
}

export async function closePetition(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<Petition> {
  const { org, row } = await organizedPetition(ctx, auth, orgSlug, id);
  if (row.status !== "published") throw new AppError("conflict", row.status === "draft" ? "A draft cannot be closed; delete it instead." : "This petition is already closed.");
  const now = await auditedChange(ctx, { organizationId: org.id, actorId: auth.account.id, action: "petition.closed", details: { title: titleOf(row) } }, async (trx, at) => {
    await trx.updateTable("petitions").set({ status: "closed", closed_at: at, updated_at: at }).where("id", "=", row.id).execute();
  });
  ctx.petitionProgress.forget(row.slug);
  return toPetition(ctx, { ...row, status: "closed", closed_at: now, updated_at: now }, org);
}

export async function deletePetition(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<void> {
  const { org, row } = await organizedPetition(ctx, auth, orgSlug, id);
  await auditedChange(ctx, { organizationId: org.id, actorId: auth.account.id, action: "petition.deleted", details: { title: titleOf(row) } }, async (trx) => {
    await trx.deleteFrom("petition_signatures").where("petition_id", "=", row.id).execute();
    await trx.deleteFrom("petitions").where("id", "=", row.id).execute();
  });
  ctx.petitionProgress.forget(row.slug);
}

/** Sealed signatures in confirmation order (pending ones last), a page at a time. */
export async function listSignatures(
  ctx: AppContext,
  auth: Authenticated,
  orgSlug: string,
  id: string,
  options: { after?: string; limit?: number },
): Promise<{ items: SealedSignature[]; next: string | null }> {
  const { row } = await organizedPetition(ctx, auth, orgSlug, id);
  const limit = options.limit ?? 500;
  let query = ctx.db
    .selectFrom("petition_signatures")
    .select(["id", "key_id", "sealed", "status", "created_at", "confirmed_at"])
    .where("petition_id", "=", row.id)
    .where("status", "in", ["pending", "confirmed"])
    .orderBy("id")
    .limit(limit + 1);
  if (options.after) query = query.where("id", ">", options.after);
  return sealedPage(await query.execute(), limit, (status) => (status === "confirmed" ? "confirmed" : "pending"));
}

export async function deleteSignature(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string, signatureId: string): Promise<void> {
  const { org, row } = await organizedPetition(ctx, auth, orgSlug, id);
  await auditedChange(ctx, { organizationId: org.id, actorId: auth.account.id, action: "petition.signature_deleted", details: { title: titleOf(row) } }, async (trx) => {
    const signature = await trx.selectFrom("petition_signatures").select(["status"]).where("id", "=", signatureId).where("petition_id", "=", row.id).executeTakeFirst();
    if (!signature || signature.status === "withdrawn") throw new AppError("not_found", "No such signature.");
    await trx.deleteFrom("petition_signatures").where("id", "=", signatureId).execute();
    if (signature.status === "confirmed") {
      await trx.updateTable("petitions").set((eb) => ({ signature_count: eb("signature_count", "-", 1) })).where("id", "=", row.id).execute();
    }
  });
  ctx.petitionProgress.forget(row.slug);
}
