/**
 * The form builder's state as the page holds it (strings, as inputs give them) and its conversions
 * to and from what the server takes. Checks here mirror the protocol's schema so the organizer
 * hears about a problem next to its field, before a round trip.
 */
import {
  FORM_NUMBER_LIMIT,
  FORM_RESPONSE_LIMIT_MAX,
  LANGUAGES,
  SLUG_PATTERN,
  type CreateForm,
  type Form,
  type FormQuestion,
  type FormText,
  type Language,
  type QuestionKind,
  type QuestionText,
} from "@commune/protocol";
import type { Messages } from "../../i18n/index.tsx";
import { fromLocalInput, toLocalInput } from "../petitions/petition-draft.ts";

export interface QuestionDraft {
  id: string;
  kind: QuestionKind;
  required: boolean;
  /** Choice ids, for choice questions (kept when the kind changes, so nothing typed is lost). */
  choices: string[];
  min: string;
  max: string;
}

export interface QuestionTextDraft {
  label: string;
  help: string;
  /** Choice id → label. */
  choices: Record<string, string>;
}

export interface TextDraft {
  title: string;
  intro: string;
  questions: Record<string, QuestionTextDraft>;
}

export interface Draft {
  slug: string;
  languages: Language[];
  defaultLanguage: Language;
  texts: Record<Language, TextDraft>;
  questions: QuestionDraft[];
  limit: boolean;
  responseLimit: string;
  /** A `datetime-local` value (local time), "" for none. */
  closesAt: string;
  confirmEmail: boolean;
  onePerAddress: boolean;
  retention: boolean;
  retentionDays: string;
}

export const hasChoices = (kind: QuestionKind) => kind === "singleChoice" || kind === "multipleChoice";

const emptyTexts = (): Record<Language, TextDraft> => Object.fromEntries(LANGUAGES.map((l) => [l, { title: "", intro: "", questions: {} }])) as unknown as Record<Language, TextDraft>;

/** A fresh id not used among `taken`: q1, q2… or c1, c2… */
export function freshId(prefix: "q" | "c", taken: readonly string[]): string {
  let i = taken.length + 1;
  while (taken.includes(`${prefix}${i}`)) i++;
  return `${prefix}${i}`;
}

export function newQuestion(taken: readonly string[], kind: QuestionKind = "shortText"): QuestionDraft {
  return { id: freshId("q", taken), kind, required: false, choices: ["c1", "c2"], min: "", max: "" };
}

export function newDraft(languages: readonly Language[]): Draft {
  const chosen = languages.length > 0 ? [...languages] : (["en"] as Language[]);
  return {
    slug: "",
    languages: chosen,
    defaultLanguage: chosen[0] as Language,
    texts: emptyTexts(),
    questions: [newQuestion([])],
    limit: false,
    responseLimit: "100",
    closesAt: "",
    confirmEmail: false,
    onePerAddress: false,
    retention: false,
    retentionDays: "90",
  };
}

export function draftOf(form: Form): Draft {
  const texts = emptyTexts();
  for (const language of LANGUAGES) {
    const text = form.translations[language];
    if (!text) continue;
    const questions: Record<string, QuestionTextDraft> = {};
    for (const [id, words] of Object.entries(text.questions)) questions[id] = { label: words.label, help: words.help ?? "", choices: { ...words.choices } };
    texts[language] = { title: text.title, intro: text.intro, questions };
  }
  return {
    slug: form.slug,
    languages: LANGUAGES.filter((l) => form.translations[l]),
    defaultLanguage: form.defaultLanguage,
    texts,
    questions: form.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      required: q.required,
      choices: hasChoices(q.kind) && "choices" in q ? [...q.choices] : ["c1", "c2"],
      min: q.kind === "number" && q.min !== null ? String(q.min) : "",
      max: q.kind === "number" && q.max !== null ? String(q.max) : "",
    })),
    limit: form.responseLimit !== null,
    responseLimit: String(form.responseLimit ?? 100),
    closesAt: form.closesAt === null ? "" : toLocalInput(form.closesAt),
    confirmEmail: form.confirmEmail,
    onePerAddress: form.onePerAddress,
    retention: form.retentionDays !== null,
    retentionDays: String(form.retentionDays ?? 90),
  };
}

/** A field's problem, keyed by where it is shown: `slug`, `en.title`, `q1.en.label`, `q1.c2.en`, `q1.max`… */
export type DraftProblems = Partial<Record<string, string>>;

const parseNumber = (value: string): number | null => (value.trim() === "" ? null : Number(value.trim().replace(",", ".")));

export function draftProblems(draft: Draft, t: Messages): DraftProblems {
  const m = t.forms.org;
  const problems: DraftProblems = {};
  if (!SLUG_PATTERN.test(draft.slug)) problems.slug = t.fieldProblems.slug;
  if (draft.languages.length === 0) problems.languages = t.fieldProblems.languages;
  if (draft.questions.length === 0) problems.questions = m.needsQuestion;
  for (const language of draft.languages) {
    const text = draft.texts[language];
    if (text.title.trim() === "") problems[`${language}.title`] = m.needsTitle;
    else if (text.title.trim().length > 200) problems[`${language}.title`] = t.fieldProblems.invalid;
    for (const q of draft.questions) {
      const words = text.questions[q.id];
      if (!words || words.label.trim() === "") problems[`${q.id}.${language}.label`] = m.needsLabel;
      if (!hasChoices(q.kind)) continue;
      for (const choice of q.choices) if (!words?.choices[choice]?.trim()) problems[`${q.id}.${choice}.${language}`] = m.needsChoiceLabel;
    }
  }
  for (const q of draft.questions) {
    if (hasChoices(q.kind) && q.choices.length === 0) problems[`${q.id}.choices`] = m.needsChoice;
    if (q.kind !== "number") continue;
    const [min, max] = [parseNumber(q.min), parseNumber(q.max)];
    const bad = (x: number | null) => x !== null && (!Number.isFinite(x) || Math.abs(x) > FORM_NUMBER_LIMIT);
    if (bad(min)) problems[`${q.id}.min`] = m.number;
    if (bad(max)) problems[`${q.id}.max`] = m.number;
    else if (min !== null && max !== null && !bad(min) && max < min) problems[`${q.id}.max`] = m.minMax;
  }
  const limit = Number(draft.responseLimit);
  if (draft.limit && (!Number.isInteger(limit) || limit < 1 || limit > FORM_RESPONSE_LIMIT_MAX)) problems.responseLimit = t.fieldProblems.range(1, FORM_RESPONSE_LIMIT_MAX);
  if (draft.closesAt !== "" && fromLocalInput(draft.closesAt) === null) problems.closesAt = t.fieldProblems.invalid;
  const days = Number(draft.retentionDays);
  if (draft.retention && (!Number.isInteger(days) || days < 1 || days > 3650)) problems.retentionDays = t.fieldProblems.range(1, 3650);
  return problems;
}

function questionOf(q: QuestionDraft): FormQuestion {
  const base = { id: q.id, required: q.required };
  switch (q.kind) {
    case "singleChoice":
    case "multipleChoice":
      return { ...base, kind: q.kind, choices: [...q.choices] };
    case "number":
      return { ...base, kind: "number", min: parseNumber(q.min), max: parseNumber(q.max) };
    default:
      return { ...base, kind: q.kind };
  }
}

/** What the server takes; call after `draftProblems` found nothing. Only the chosen languages go. */
export function formInput(draft: Draft): CreateForm {
  const translations: Partial<Record<Language, FormText>> = {};
  for (const language of draft.languages) {
    const text = draft.texts[language];
    const questions: Record<string, QuestionText> = {};
    for (const q of draft.questions) {
      const words = text.questions[q.id] ?? { label: "", help: "", choices: {} };
      const help = words.help.trim();
      questions[q.id] = {
        label: words.label.trim(),
        ...(help ? { help } : {}),
        ...(hasChoices(q.kind) ? { choices: Object.fromEntries(q.choices.map((c) => [c, (words.choices[c] ?? "").trim()])) } : {}),
      };
    }
    translations[language] = { title: text.title.trim(), intro: text.intro, questions };
  }
  return {
    slug: draft.slug,
    defaultLanguage: draft.languages.includes(draft.defaultLanguage) ? draft.defaultLanguage : (draft.languages[0] as Language),
    translations,
    questions: draft.questions.map(questionOf),
    responseLimit: draft.limit ? Number(draft.responseLimit) : null,
    closesAt: fromLocalInput(draft.closesAt),
    confirmEmail: draft.confirmEmail,
    onePerAddress: draft.confirmEmail && draft.onePerAddress,
    retentionDays: draft.retention ? Number(draft.retentionDays) : null,
  };
}

/** The title in the default language, for headings and lists. */
export function formTitle(form: Pick<Form, "translations" | "defaultLanguage" | "slug">): string {
  return form.translations[form.defaultLanguage]?.title ?? form.slug;
}
