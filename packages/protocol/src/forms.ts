/**
 * Forms: what organizers build (questions, translations, limits), what the public page reads, and
 * what a respondent's browser sends. Answers travel sealed to the organization's key (HPKE): the
 * server stores ciphertext and cannot check them, so `answerProblems` — the one set of rules — runs
 * on the public page before sealing, in the headless client, and in the organizer's browser after
 * opening. When a form asks for a confirmation mail, the respondent's address also comes in clear,
 * for that mail and for a keyed deduplication index; it is never stored or logged.
 */
import { z } from "zod";
import { LANGUAGES, type Language } from "./constants.ts";
import { base64url, displayText, email, freeText, id, slug, token } from "./schemas.ts";

export const QUESTION_KINDS = ["shortText", "longText", "singleChoice", "multipleChoice", "number", "date", "email", "consent"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const FORM_QUESTIONS_MAX = 100;
export const FORM_CHOICES_MAX = 50;
export const FORM_INTRO_MAX = 5000;
export const FORM_RESPONSE_LIMIT_MAX = 10_000_000;
/** Longest answer to a short-text question, in characters. */
export const SHORT_TEXT_MAX = 300;
/** Longest answer to a long-text question, in characters. */
export const LONG_TEXT_MAX = 5000;
/** Numbers answers and bounds stay within this, so they survive JSON and every spreadsheet. */
export const FORM_NUMBER_LIMIT = 1e12;
/** Upper bound of a sealed response: it fits the API's 64 KiB JSON bodies once in base64url. */
export const SEALED_RESPONSE_MAX = 44 * 1024;
/** The HPKE overhead of a sealed record (encapsulated key and tag), kept free under the bound. */
const SEAL_OVERHEAD = 64;

/** Question and choice ids: short, stable across languages, safe as object keys and CSV headers. */
export const FORM_ITEM_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const itemId = z.string().regex(FORM_ITEM_ID, "lowercase letters, digits, - and _, 1–32");
const bound = z.number().min(-FORM_NUMBER_LIMIT).max(FORM_NUMBER_LIMIT);

const common = { id: itemId, required: z.boolean() };
const choices = z.array(itemId).min(1).max(FORM_CHOICES_MAX);
export const FormQuestion = z.discriminatedUnion("kind", [
  z.strictObject({ ...common, kind: z.literal("shortText") }),
  z.strictObject({ ...common, kind: z.literal("longText") }),
  z.strictObject({ ...common, kind: z.literal("singleChoice"), choices }),
  z.strictObject({ ...common, kind: z.literal("multipleChoice"), choices }),
  z.strictObject({ ...common, kind: z.literal("number"), min: bound.nullable(), max: bound.nullable() }),
  z.strictObject({ ...common, kind: z.literal("date") }),
  z.strictObject({ ...common, kind: z.literal("email") }),
  /** A checkbox; when required, it must be ticked (e.g. "I agree to be contacted"). */
  z.strictObject({ ...common, kind: z.literal("consent") }),
]);
export type FormQuestion = z.infer<typeof FormQuestion>;

/** A question's words in one language. */
export const QuestionText = z.strictObject({
  label: displayText(300),
  help: freeText(1000).optional(),
  /** Choice id → its label, for choice questions. */
  choices: z.record(itemId, displayText(200)).optional(),
});
export type QuestionText = z.infer<typeof QuestionText>;

/** A form's words in one language. */
export const FormText = z.strictObject({
  title: displayText(200),
  /** Markdown, rendered sanitized (raw HTML inert), as a petition's text. */
  intro: freeText(FORM_INTRO_MAX),
  /** Question id → its words. */
  questions: z.record(itemId, QuestionText),
});
export type FormText = z.infer<typeof FormText>;

const translations = z
  .partialRecord(z.enum(LANGUAGES), FormText)
  .refine((t) => Object.keys(t).length > 0, "at least one language");
const timestamp = z.int().min(0).max(8.64e15);

const formShape = {
  slug,
  defaultLanguage: z.enum(LANGUAGES),
  translations,
  questions: z.array(FormQuestion).min(1).max(FORM_QUESTIONS_MAX),
  /** Most responses accepted; null for no limit. */
  responseLimit: z.int().min(1).max(FORM_RESPONSE_LIMIT_MAX).nullable(),
  /** When the form stops taking responses; null to keep it open until closed by hand. */
  closesAt: timestamp.nullable(),
  /** Ask the respondent's email address and mail a link that confirms the response. */
  confirmEmail: z.boolean(),
  /** Accept one response per email address (needs `confirmEmail`). */
  onePerAddress: z.boolean(),
  /** Days after the form closes when its responses are deleted; null keeps them. */
  retentionDays: z.int().min(1).max(3650).nullable(),
};

type DefinitionLike = Partial<Pick<FormDefinition, "defaultLanguage" | "translations" | "questions" | "confirmEmail" | "onePerAddress">>;

/** Rules that tie the parts of a definition together: every language names every question and choice. */
function coherent(form: DefinitionLike, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (form.defaultLanguage && form.translations && !form.translations[form.defaultLanguage]) issue(["defaultLanguage"], "the default language needs a translation");
  if (form.onePerAddress && form.confirmEmail === false) issue(["onePerAddress"], "one response per address needs the confirmation email");
  if (!form.questions) return;
  const seen = new Set<string>();
  form.questions.forEach((q, i) => {
    if (seen.has(q.id)) issue(["questions", i, "id"], "question ids must be unique");
    seen.add(q.id);
    if ((q.kind === "singleChoice" || q.kind === "multipleChoice") && new Set(q.choices).size !== q.choices.length) issue(["questions", i, "choices"], "choice ids must be unique");
    if (q.kind === "number" && q.min !== null && q.max !== null && q.min > q.max) issue(["questions", i, "max"], "must not be below the minimum");
  });
  for (const [language, text] of Object.entries(form.translations ?? {})) {
    if (!text) continue;
    for (const key of Object.keys(text.questions)) if (!seen.has(key)) issue(["translations", language, "questions", key], "no such question");
    for (const q of form.questions) {
      const words = text.questions[q.id];
      if (!words) {
        issue(["translations", language, "questions", q.id], "every question needs a label in every language");
        continue;
      }
      const ids = q.kind === "singleChoice" || q.kind === "multipleChoice" ? q.choices : [];
      const labels = words.choices ?? {};
      for (const choice of ids) if (!labels[choice]) issue(["translations", language, "questions", q.id, "choices", choice], "every choice needs a label");
      for (const key of Object.keys(labels)) if (!ids.includes(key)) issue(["translations", language, "questions", q.id, "choices", key], "no such choice");
    }
  }
}

export const CreateForm = z.strictObject(formShape).superRefine(coherent);
export type CreateForm = z.infer<typeof CreateForm>;
/** Everything an organizer writes: a form's definition. */
export type FormDefinition = CreateForm;

/**
 * Any subset. The server merges it into the stored definition and checks the whole again. Once
 * published, `questions`, `slug`, `confirmEmail` and `onePerAddress` no longer change: people have
 * answered what they saw.
 */
export const UpdateForm = z.strictObject(formShape).partial().superRefine(coherent);
export type UpdateForm = z.infer<typeof UpdateForm>;

export const AnswerForm = z.strictObject({
  /** The solved proof-of-work challenge (ALTCHA payload), purpose `form:<id>`. */
  pow: z.string().min(1).max(4096),
  /** The organization key the response is sealed to; must be the current one. */
  keyId: id,
  /** HPKE-sealed `ResponsePayload`, base64url. */
  sealed: base64url.min(64).max(Math.ceil((SEALED_RESPONSE_MAX * 4) / 3)),
  /** Only when the form asks for a confirmation mail: to mail the link (and deduplicate); never stored. */
  email: email.nullable(),
  language: z.enum(LANGUAGES),
});
export type AnswerForm = z.infer<typeof AnswerForm>;

export const ResponseToken = z.strictObject({ token });
export type ResponseToken = z.infer<typeof ResponseToken>;

export const ResponsesQuery = z.strictObject({
  after: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** An answer as the respondent's browser records it, by question kind (see `answerProblems`). */
export type AnswerValue = string | number | boolean | readonly string[];
/** Question id → answer; unanswered questions are left out. */
export type FormAnswers = Readonly<Record<string, AnswerValue>>;

/** What the respondent's browser seals: everything the organization reads, nothing the server does. */
export interface ResponsePayload {
  readonly v: 1;
  readonly formId: string;
  readonly answers: FormAnswers;
  /** The address the confirmation went to, when the form asks for one. */
  readonly email?: string;
  readonly language: Language;
  readonly answeredAt: number;
}

/** HPKE `info` for a form's responses: a sealed response cannot be replayed on another form. */
export function formSealInfo(formId: string): Uint8Array {
  return new TextEncoder().encode(`commune-form-response-v1\n${formId}`);
}

/** The proof-of-work purpose of a form's responses: a solution cannot be spent elsewhere. */
export function formPowPurpose(formId: string): string {
  return `form:${formId}`;
}

/**
 * Why an answer breaks its question's rules: `required` (missing), `type` (wrong shape), `tooLong`,
 * `choice` (not one of the choices, or several for a single choice), `min`/`max` (number out of
 * bounds), `date` (not a calendar date), `email` (not an address), `unknown` (no such question).
 */
export type AnswerProblemKind = "required" | "type" | "tooLong" | "choice" | "min" | "max" | "date" | "email" | "unknown";
export interface AnswerProblem {
  readonly question: string;
  readonly problem: AnswerProblemKind;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whether `value` reads as an email address (the rule the server applies to confirmation addresses). */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && z.regexes.email.test(value);
}

/** An unanswered question: nothing, empty text, no choice, an unticked box. */
export function isUnanswered(value: unknown): boolean {
  return value === undefined || value === null || value === false || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

function problemOf(question: FormQuestion, value: unknown): AnswerProblemKind | null {
  if (isUnanswered(value)) return question.required ? "required" : null;
  const text = (max: number) => (typeof value !== "string" ? "type" : value.length > max ? "tooLong" : null);
  switch (question.kind) {
    case "shortText":
      return text(SHORT_TEXT_MAX);
    case "longText":
      return text(LONG_TEXT_MAX);
    case "email":
      return text(254) ?? (isEmailAddress((value as string).trim()) ? null : "email");
    case "date":
      return typeof value !== "string" ? "type" : isCalendarDate(value) ? null : "date";
    case "consent":
      return value === true ? null : "type";
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return "type";
      if (question.min !== null && value < question.min) return "min";
      if (question.max !== null && value > question.max) return "max";
      return Math.abs(value) > FORM_NUMBER_LIMIT ? "max" : null;
    case "singleChoice":
      return typeof value !== "string" ? "type" : question.choices.includes(value) ? null : "choice";
    case "multipleChoice":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return "type";
      return new Set(value).size === value.length && value.every((v) => question.choices.includes(v)) ? null : "choice";
  }
}

/**
 * Every way the answers break the form's rules, in question order, then answers to questions the
 * form does not have. Empty when the answers may be sent. The public page checks before sealing;
 * the organizer's browser checks again after opening, since the server cannot read them.
 */
export function answerProblems(form: { readonly questions: readonly FormQuestion[] }, answers: Readonly<Record<string, unknown>>): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const known = new Set<string>();
  for (const question of form.questions) {
    known.add(question.id);
    const value = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    const problem = problemOf(question, value);
    if (problem) problems.push({ question: question.id, problem });
  }
  for (const key of Object.keys(answers)) if (!known.has(key)) problems.push({ question: key.slice(0, 64), problem: "unknown" });
  return problems;
}

/** Whether a response of this many bytes (before sealing) fits the server's bound once sealed. */
export function fitsSealedResponse(plaintextBytes: number): boolean {
  return plaintextBytes + SEAL_OVERHEAD <= SEALED_RESPONSE_MAX;
}

/** The form's words in this language, or in its default language when it has none in this one. */
export function formTextIn(form: Pick<FormDefinition, "translations" | "defaultLanguage">, language: Language): { language: Language; text: FormText } {
  const own = form.translations[language];
  if (own) return { language, text: own };
  return { language: form.defaultLanguage, text: form.translations[form.defaultLanguage] as FormText };
}

export type FormStatus = "draft" | "published" | "closed";
/** Whether answering is possible now: published, before its closing date, below its limit. */
export type FormState = "draft" | "open" | "full" | "closed";

interface FormViewBase {
  readonly id: string;
  readonly slug: string;
  readonly organization: { readonly slug: string; readonly name: string };
  readonly defaultLanguage: Language;
  readonly translations: Partial<Record<Language, FormText>>;
  readonly questions: readonly FormQuestion[];
  readonly closesAt: number | null;
  readonly confirmEmail: boolean;
  readonly onePerAddress: boolean;
  /** False when the instance cannot send mail, so confirmation links cannot arrive. */
  readonly mail: boolean;
}

/** A form as its organization's organizers see it. */
export interface Form extends FormViewBase {
  readonly status: FormStatus;
  readonly state: FormState;
  readonly responseLimit: number | null;
  readonly retentionDays: number | null;
  /** Responses kept (those waiting for their confirmation included): what the limit counts. */
  readonly responses: number;
  /** Responses waiting for their email confirmation. */
  readonly pending: number;
  readonly createdAt: number;
  readonly publishedAt: number | null;
  readonly closedAt: number | null;
}

/** What the public page reads (no account needed). */
export interface PublicForm extends FormViewBase {
  readonly state: Exclude<FormState, "draft">;
  /** The organization's current public key, to seal to; null when it has none. */
  readonly key: { readonly id: string; readonly publicKey: string } | null;
}

export interface ResponseReceipt {
  /** `pending` until the mailed link is opened; `complete` at once for forms without confirmation. */
  readonly status: "pending" | "complete";
  /** Whether a confirmation mail went out. */
  readonly mailed: boolean;
  /** True when the address had answered already, unconfirmed, and only fresh links went out. */
  readonly resent: boolean;
}

export interface ResponseConfirmation {
  readonly form: { readonly slug: string };
}

/** A sealed response as organizers receive it; their browser opens it. */
export interface SealedResponse {
  readonly id: string;
  readonly keyId: string;
  readonly sealed: string;
  readonly status: "pending" | "complete";
  readonly createdAt: number;
  readonly confirmedAt: number | null;
}
