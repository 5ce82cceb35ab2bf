/**
 * Petitions: what organizers write (public text, goal, dates, which fields signers fill in), what
 * the public page reads, and what a signer's browser sends. The signer's answers travel sealed to
 * the organization's key (HPKE); the server sees only the email address, to mail the confirmation
 * link and to compute a keyed deduplication index, and the display name when the signer consents.
 */
import { z } from "zod";
import { LANGUAGES, type Language } from "./constants.ts";
import {
  FIELD_SETTINGS,
  PETITION_BODY_MAX,
  PETITION_GOAL_MAX,
  RETENTION_DAYS_MAX,
  SEALED_SIGNATURE_MAX,
  type PetitionFields as PetitionFieldsRule,
  type PetitionTextField,
} from "./petition-rules.ts";
import { base64url, displayText, email, freeText, id, slug, token } from "./schemas.ts";

export * from "./petition-rules.ts";

const setting = z.enum(FIELD_SETTINGS);
export type PetitionFields = PetitionFieldsRule;
export const PetitionFields: z.ZodType<PetitionFields> = z.strictObject({
  name: setting,
  postalCode: setting,
  country: setting,
  comment: setting,
  /** Offer "show my name publicly" (always optional: consent cannot be required). */
  showPublicly: z.boolean(),
  /** Offer "keep me informed". */
  keepInformed: z.boolean(),
});

export const PetitionText = z.strictObject({
  title: displayText(200),
  /** Markdown; rendered sanitized, raw HTML inert. */
  body: freeText(PETITION_BODY_MAX),
  /** Whom the petition addresses ("The city council of …"). */
  target: displayText(200),
});
export type PetitionText = z.infer<typeof PetitionText>;

const translations = z
  .partialRecord(z.enum(LANGUAGES), PetitionText)
  .refine((t) => Object.keys(t).length > 0, "at least one language");
const timestamp = z.int().min(0).max(8.64e15);

const petitionShape = {
  slug,
  defaultLanguage: z.enum(LANGUAGES),
  translations,
  goal: z.int().min(1).max(PETITION_GOAL_MAX),
  startsAt: timestamp.nullable(),
  endsAt: timestamp.nullable(),
  fields: PetitionFields,
  /** Days after the petition closes when its signatures are deleted; null keeps them. */
  retentionDays: z.int().min(1).max(RETENTION_DAYS_MAX).nullable(),
};

function coherent(p: { defaultLanguage?: Language; translations?: Partial<Record<Language, unknown>>; startsAt?: number | null; endsAt?: number | null }, ctx: z.RefinementCtx): void {
  if (p.defaultLanguage && p.translations && !p.translations[p.defaultLanguage]) {
    ctx.addIssue({ code: "custom", path: ["defaultLanguage"], message: "the default language needs a translation" });
  }
  if (p.startsAt != null && p.endsAt != null && p.endsAt <= p.startsAt) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after the start" });
  }
}

export const CreatePetition = z.strictObject(petitionShape).superRefine(coherent);
export type CreatePetition = z.infer<typeof CreatePetition>;

/** Any subset; once published, `fields` and `slug` no longer change (signers saw them). */
export const UpdatePetition = z.strictObject(petitionShape).partial().superRefine(coherent);
export type UpdatePetition = z.infer<typeof UpdatePetition>;

export const SignPetition = z.strictObject({
  /** The solved proof-of-work challenge (ALTCHA payload). */
  pow: z.string().min(1).max(4096),
  /** The organization key the signature is sealed to; must be the current one. */
  keyId: id,
  /** HPKE-sealed `SignaturePayload`, base64url. */
  sealed: base64url.min(64).max(Math.ceil((SEALED_SIGNATURE_MAX * 4) / 3)),
  /** Only to mail the confirmation link and to deduplicate; never stored. */
  email,
  /** Sent in clear only when the signer chose to be shown publicly. */
  publicName: displayText(100).nullable(),
  language: z.enum(LANGUAGES),
});
export type SignPetition = z.infer<typeof SignPetition>;

export const SignatureToken = z.strictObject({ token });
export type SignatureToken = z.infer<typeof SignatureToken>;

export const SignaturesQuery = z.strictObject({
  after: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export type PetitionStatus = "draft" | "published" | "closed";
/** Whether signing is possible now: published and within its dates. */
export type PetitionState = "draft" | "upcoming" | "open" | "closed";

/** A petition as its organization's organizers see it. */
export interface Petition {
  readonly id: string;
  readonly slug: string;
  readonly organization: { readonly slug: string; readonly name: string };
  readonly status: PetitionStatus;
  readonly state: PetitionState;
  readonly defaultLanguage: Language;
  readonly translations: Partial<Record<Language, PetitionText>>;
  readonly goal: number;
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  readonly fields: PetitionFields;
  readonly retentionDays: number | null;
  /** Confirmed signatures. */
  readonly count: number;
  /** Signatures waiting for their email confirmation. */
  readonly pending: number;
  readonly createdAt: number;
  readonly publishedAt: number | null;
  readonly closedAt: number | null;
}

/** What the public page reads (no account needed). */
export interface PublicPetition {
  readonly id: string;
  readonly slug: string;
  readonly organization: { readonly slug: string; readonly name: string };
  readonly state: Exclude<PetitionState, "draft">;
  readonly defaultLanguage: Language;
  readonly translations: Partial<Record<Language, PetitionText>>;
  readonly goal: number;
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  readonly fields: PetitionFields;
  readonly count: number;
  /** The latest signers who chose to be shown, newest first. */
  readonly publicNames: readonly string[];
  /** The organization's current public key, to seal to; null when it has none yet. */
  readonly key: { readonly id: string; readonly publicKey: string } | null;
  /** False when the instance cannot send mail, so confirmation links cannot arrive. */
  readonly mail: boolean;
}

/** The live counter, as the public page's event stream sends it. */
export interface PetitionProgress {
  readonly count: number;
  readonly publicNames: readonly string[];
}

export interface SignatureReceipt {
  readonly status: "pending";
  /** Whether a confirmation mail went out. */
  readonly mailed: boolean;
}

export interface SignatureConfirmation {
  readonly petition: { readonly slug: string };
  readonly count: number;
}

/** A sealed signature as organizers receive it; their browser opens it. */
export interface SealedSignature {
  readonly id: string;
  readonly keyId: string;
  readonly sealed: string;
  readonly status: "pending" | "confirmed";
  readonly createdAt: number;
  readonly confirmedAt: number | null;
}
