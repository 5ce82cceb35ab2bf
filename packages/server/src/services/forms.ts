/**
 * Forms as organizers manage them: build, translate, publish, close, delete, and read the sealed
 * responses (opened in their browser, never here). The public side is in form-responses.ts.
 */
import { CreateForm, type AuditAction, type Form, type FormDefinition, type FormQuestion, type FormState, type FormText, type Language, type SealedResponse, type UpdateForm } from "@commune/protocol";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { FormsTable } from "../store/schema/forms.ts";
import { auditedChange } from "./audited-change.ts";
import { currentOrganizationKey } from "./organization-keys.ts";
import { access } from "./organizations.ts";
import { sealedPage } from "./sealed-page.ts";
import type { Authenticated } from "./sessions.ts";

/** Whether a form takes responses at `now`. */
export function formState(row: Pick<FormsTable, "status" | "closes_at" | "response_limit" | "response_count">, now: number): FormState {
  if (row.status === "draft") return "draft";
  if (row.status === "closed" || (row.closes_at !== null && Number(row.closes_at) <= now)) return "closed";
  if (row.response_limit !== null && Number(row.response_count) >= Number(row.response_limit)) return "full";
  return "open";
}

/** The stored definition, as the organizer wrote it. */
export function definitionOf(row: FormsTable): FormDefinition {
  return {
    slug: row.slug,
    defaultLanguage: row.default_language,
    translations: JSON.parse(row.translations) as Partial<Record<Language, FormText>>,
    questions: JSON.parse(row.questions) as FormQuestion[],
    responseLimit: row.response_limit === null ? null : Number(row.response_limit),
    closesAt: row.closes_at === null ? null : Number(row.closes_at),
    confirmEmail: Number(row.confirm_email) === 1,
    onePerAddress: Number(row.one_per_address) === 1,
    retentionDays: row.retention_days,
  };
}

/** The title in the form's default language, for audit entries. */
export function formTitle(row: FormsTable, language: Language = row.default_language): string {
  const translations = JSON.parse(row.translations) as Partial<Record<Language, FormText>>;
  return (translations[language] ?? translations[row.default_language])?.title ?? row.slug;
}

/** The columns a definition is stored in. */
function columnsOf(d: FormDefinition) {
  return {
    slug: d.slug,
    default_language: d.defaultLanguage,
    translations: JSON.stringify(d.translations),
    questions: JSON.stringify(d.questions),
    response_limit: d.responseLimit,
    closes_at: d.closesAt,
    confirm_email: d.confirmEmail ? 1 : 0,
    one_per_address: d.onePerAddress ? 1 : 0,
    retention_days: d.retentionDays,
  };
}

async function toForm(ctx: AppContext, row: FormsTable, org: { slug: string; name: string }): Promise<Form> {
  const pending = await ctx.db
    .selectFrom("form_responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("form_id", "=", row.id)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  const { slug: _slug, ...definition } = definitionOf(row);
  return {
    id: row.id,
    slug: row.slug,
    organization: { slug: org.slug, name: org.name },
    status: row.status,
    state: formState(row, ctx.now()),
    ...definition,
    responses: Number(row.response_count),
    pending: Number(pending.n),
    mail: ctx.mailer.configured,
    createdAt: Number(row.created_at),
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
  };
}

/** The form, checked to belong to an organization the caller organizes; `audit` names a change to it. */
async function organizedForm(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string) {
  const { org } = await access(ctx, orgSlug, auth.account.id, "organizer");
  const row = await ctx.db.selectFrom("forms").selectAll().where("id", "=", id).where("organization_id", "=", org.id).executeTakeFirst();
  if (!row) throw new AppError("not_found", "No such form.");
  const audit = (action: AuditAction) => ({ organizationId: org.id, actorId: auth.account.id, action, details: { title: formTitle(row) } });
  return { org, row, audit };
}

const slugTaken = () => new AppError("slug_taken", "Another form already uses this address. Choose another one.");

export async function createForm(ctx: AppContext, auth: Authenticated, orgSlug: string, input: CreateForm): Promise<Form> {
  const { org } = await access(ctx, orgSlug, auth.account.id, "organizer");
  const now = ctx.now();
  const row: FormsTable = {
    id: newId(),
    organization_id: org.id,
    status: "draft",
    ...columnsOf(input),
    response_count: 0,
    created_by: auth.account.id,
    created_at: now,
    updated_at: now,
    published_at: null,
    closed_at: null,
  };
  try {
    await auditedChange(ctx, { organizationId: org.id, actorId: auth.account.id, action: "form.created", details: { title: formTitle(row) } }, async (trx) => {
      await trx.insertInto("forms").values(row).execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
  return toForm(ctx, row, org);
}

export async function listForms(ctx: AppContext, auth: Authenticated, orgSlug: string): Promise<Form[]> {
  const { org } = await access(ctx, orgSlug, auth.account.id, "organizer");
  const rows = await ctx.db.selectFrom("forms").selectAll().where("organization_id", "=", org.id).orderBy("created_at", "desc").execute();
  return Promise.all(rows.map((row) => toForm(ctx, row, org)));
}

export async function getForm(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<Form> {
  const { org, row } = await organizedForm(ctx, auth, orgSlug, id);
  return toForm(ctx, row, org);
}

/** What respondents rely on once the form is out: its address, its questions, its address rules. */
const FIXED_ONCE_PUBLISHED = ["slug", "questions", "confirmEmail", "onePerAddress"] as const;

/** Merges the change into the stored definition and checks the whole again, as on creation. */
export async function updateForm(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string, input: UpdateForm): Promise<Form> {
  const { org, row } = await organizedForm(ctx, auth, orgSlug, id);
  const current = definitionOf(row);
  const merged = CreateForm.safeParse({ ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) });
  if (!merged.success) {
    const issues = merged.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join(".").slice(0, 200), message: i.message.slice(0, 200) }));
    throw new AppError("validation_failed", "Some fields are missing or not valid.", { issues });
  }
  const next = merged.data;
  if (row.status !== "draft" && FIXED_ONCE_PUBLISHED.some((key) => JSON.stringify(next[key]) !== JSON.stringify(current[key]))) {
    throw new AppError("conflict", "The address, the questions and the email settings of a published form cannot change: people have already answered what they saw.");
  }
  const now = ctx.now();
  try {
    await ctx.db
      .updateTable("forms")
      .set({ ...columnsOf(next), updated_at: now })
      .where("id", "=", row.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
  return toForm(ctx, { ...row, ...columnsOf(next), updated_at: now }, org);
}

/** Publishing needs the organization's key: responses are sealed to it from the first one. */
export async function publishForm(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<Form> {
  const { org, row, audit } = await organizedForm(ctx, auth, orgSlug, id);
  if (row.status !== "draft") throw new AppError("conflict", "This form is already published.");
  if (!(await currentOrganizationKey(ctx, org.id))) {
    throw new AppError("organization_key_missing", "The organization has no encryption key yet: an administrator must set it up before a form can be published.");
  }
  const now = await auditedChange(ctx, audit("form.published"), async (trx, now) => {
    await trx.updateTable("forms").set({ status: "published", published_at: now, updated_at: now }).where("id", "=", row.id).where("status", "=", "draft").execute();
  });
  return toForm(ctx, { ...row, status: "published", published_at: now, updated_at: now }, org);
}

export async function closeForm(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<Form> {
  const { org, row, audit } = await organizedForm(ctx, auth, orgSlug, id);
  if (row.status !== "published") throw new AppError("conflict", row.status === "draft" ? "A draft cannot be closed; delete it instead." : "This form is already closed.");
  const now = await auditedChange(ctx, audit("form.closed"), async (trx, now) => {
    await trx.updateTable("forms").set({ status: "closed", closed_at: now, updated_at: now }).where("id", "=", row.id).execute();
  });
  return toForm(ctx, { ...row, status: "closed", closed_at: now, updated_at: now }, org);
}

export async function deleteForm(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string): Promise<void> {
  const { row, audit } = await organizedForm(ctx, auth, orgSlug, id);
  await auditedChange(ctx, audit("form.deleted"), async (trx) => {
    await trx.deleteFrom("form_responses").where("form_id", "=", row.id).execute();
    await trx.deleteFrom("forms").where("id", "=", row.id).execute();
  });
}

/** Sealed responses in arrival order of their ids, a page at a time. */
export async function listResponses(
  ctx: AppContext,
  auth: Authenticated,
  orgSlug: string,
  id: string,
  options: { after?: string; limit?: number },
): Promise<{ items: SealedResponse[]; next: string | null }> {
  const { row } = await organizedForm(ctx, auth, orgSlug, id);
  const limit = options.limit ?? 500;
  let query = ctx.db
    .selectFrom("form_responses")
    .select(["id", "key_id", "sealed", "status", "created_at", "confirmed_at"])
    .where("form_id", "=", row.id)
    .orderBy("id")
    .limit(limit + 1);
  if (options.after) query = query.where("id", ">", options.after);
  return sealedPage(await query.execute(), limit, (status) => status);
}

/** Deletes one response; its place under the response limit is free again. */
export async function deleteResponse(ctx: AppContext, auth: Authenticated, orgSlug: string, id: string, responseId: string): Promise<void> {
  const { row, audit } = await organizedForm(ctx, auth, orgSlug, id);
  await auditedChange(ctx, audit("form.response_deleted"), async (trx) => {
    const gone = await trx.deleteFrom("form_responses").where("id", "=", responseId).where("form_id", "=", row.id).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) throw new AppError("not_found", "No such response.");
    await trx.updateTable("forms").set((eb) => ({ response_count: eb("response_count", "-", 1) })).where("id", "=", row.id).execute();
  });
}
