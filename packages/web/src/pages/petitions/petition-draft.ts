/**
 * The petition editor's state as the form holds it (strings, as inputs give them) and its
 * conversions to and from what the server takes. Checks here mirror the protocol's schema so the
 * organizer hears about a problem next to its field, before a round trip.
 */
import {
  LANGUAGES,
  PETITION_BODY_MAX,
  PETITION_GOAL_MAX,
  RETENTION_DAYS_MAX,
  SLUG_PATTERN,
  type CreatePetition,
  type Language,
  type Petition,
  type PetitionFields,
  type PetitionText,
} from "@commune/protocol";
import type { Messages } from "../../i18n/index.tsx";

export interface TextDraft {
  title: string;
  target: string;
  body: string;
}

export interface Draft {
  slug: string;
  languages: Language[];
  defaultLanguage: Language;
  texts: Record<Language, TextDraft>;
  goal: string;
  /** `datetime-local` values (local time), "" for none. */
  startsAt: string;
  endsAt: string;
  fields: PetitionFields;
  retention: boolean;
  retentionDays: string;
}

export const DEFAULT_FIELDS: PetitionFields = { name: "required", postalCode: "optional", country: "off", comment: "optional", showPublicly: true, keepInformed: true };
const EMPTY_TEXT: TextDraft = { title: "", target: "", body: "" };
const emptyTexts = (): Record<Language, TextDraft> => Object.fromEntries(LANGUAGES.map((l) => [l, { ...EMPTY_TEXT }])) as Record<Language, TextDraft>;

export function newDraft(languages: readonly Language[]): Draft {
  const chosen = languages.length > 0 ? [...languages] : (["en"] as Language[]);
  return {
    slug: "",
    languages: chosen,
    defaultLanguage: chosen[0] as Language,
    texts: emptyTexts(),
    goal: "1000",
    startsAt: "",
    endsAt: "",
    fields: { ...DEFAULT_FIELDS },
    retention: false,
    retentionDays: "90",
  };
}

export function draftOf(petition: Petition): Draft {
  const texts = emptyTexts();
  for (const language of LANGUAGES) {
    const text = petition.translations[language];
    if (text) texts[language] = { ...text };
  }
  return {
    slug: petition.slug,
    languages: LANGUAGES.filter((l) => petition.translations[l]),
    defaultLanguage: petition.defaultLanguage,
    texts,
    goal: String(petition.goal),
    startsAt: petition.startsAt === null ? "" : toLocalInput(petition.startsAt),
    endsAt: petition.endsAt === null ? "" : toLocalInput(petition.endsAt),
    fields: { ...petition.fields },
    retention: petition.retentionDays !== null,
    retentionDays: String(petition.retentionDays ?? 90),
  };
}

/** A moment as a `datetime-local` input shows it, in this browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (read as local time, as the input means it) in milliseconds; null if empty or invalid. */
export function fromLocalInput(value: string): number | null {
  if (value === "") return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

export type DraftProblems = Partial<Record<"slug" | "languages" | "goal" | "endsAt" | "startsAt" | "retentionDays" | `${Language}.title` | `${Language}.target` | `${Language}.body`, string>>;

export function draftProblems(draft: Draft, t: Messages): DraftProblems {
  const m = t.petitions.org;
  const problems: DraftProblems = {};
  if (!SLUG_PATTERN.test(draft.slug)) problems.slug = t.fieldProblems.slug;
  if (draft.languages.length === 0) problems.languages = t.fieldProblems.languages;
  for (const language of draft.languages) {
    const text = draft.texts[language];
    if (text.title.trim() === "") problems[`${language}.title`] = m.needsTitle;
    else if (text.title.trim().length > 200) problems[`${language}.title`] = t.fieldProblems.invalid;
    if (text.target.trim() === "") problems[`${language}.target`] = m.needsTarget;
    else if (text.target.trim().length > 200) problems[`${language}.target`] = t.fieldProblems.invalid;
    if (text.body.length > PETITION_BODY_MAX) problems[`${language}.body`] = t.fieldProblems.invalid;
  }
  const goal = Number(draft.goal);
  if (!Number.isInteger(goal) || goal < 1 || goal > PETITION_GOAL_MAX) problems.goal = t.fieldProblems.range(1, PETITION_GOAL_MAX);
  const starts = fromLocalInput(draft.startsAt);
  const ends = fromLocalInput(draft.endsAt);
  if (draft.startsAt !== "" && starts === null) problems.startsAt = t.fieldProblems.invalid;
  if (draft.endsAt !== "" && ends === null) problems.endsAt = t.fieldProblems.invalid;
  else if (starts !== null && ends !== null && ends <= starts) problems.endsAt = m.endAfterStart;
  const days = Number(draft.retentionDays);
  if (draft.retention && (!Number.isInteger(days) || days < 1 || days > RETENTION_DAYS_MAX)) problems.retentionDays = t.fieldProblems.range(1, RETENTION_DAYS_MAX);
  return problems;
}

/** What the server takes; call after `draftProblems` found nothing. */
export function petitionInput(draft: Draft): CreatePetition {
  const translations: Partial<Record<Language, PetitionText>> = {};
  for (const language of draft.languages) {
    const text = draft.texts[language];
    translations[language] = { title: text.title.trim(), target: text.target.trim(), body: text.body };
  }
  return {
    slug: draft.slug,
    defaultLanguage: draft.languages.includes(draft.defaultLanguage) ? draft.defaultLanguage : (draft.languages[0] as Language),
    translations,
    goal: Number(draft.goal),
    startsAt: fromLocalInput(draft.startsAt),
    endsAt: fromLocalInput(draft.endsAt),
    fields: draft.fields,
    retentionDays: draft.retention ? Number(draft.retentionDays) : null,
  };
}

/** The title in the default language, for headings and lists. */
export function petitionTitle(petition: Petition): string {
  return petition.translations[petition.defaultLanguage]?.title ?? petition.slug;
}
