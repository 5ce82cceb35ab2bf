/**
 * Forms for organizers: build and publish them, and read their responses, which arrive sealed to
 * the organization's key and are opened here, on the organizer's device — then summed up per
 * question and exported as CSV without the answers ever leaving the device in clear.
 */
import {
  LANGUAGES,
  answerProblems,
  formSealInfo,
  formTextIn,
  isUnanswered,
  type AnswerProblem,
  type CreateForm,
  type Form,
  type FormQuestion,
  type Language,
  type ResponsePayload,
  type SealedResponse,
  type UpdateForm,
} from "@commune/protocol";
import type { CommuneClient } from "./client.ts";
import { ApiError } from "./errors.ts";
import { csvDocument, type CsvValue } from "./csv.ts";
import { openAll, openSealedJson, sealedPages, type OpenProgress } from "./sealed-records.ts";

const seg = encodeURIComponent;

interface OpenedBase {
  readonly id: string;
  readonly status: SealedResponse["status"];
  readonly createdAt: number;
  readonly confirmedAt: number | null;
}

/** A response after opening: its payload, or why it could not be read. */
export type OpenedResponse =
  | (OpenedBase & { readonly ok: true; readonly payload: ResponsePayload })
  | (OpenedBase & {
      readonly ok: false;
      /** `no_key`: sealed to a key this device does not hold; `unreadable`: not a valid sealing; `invalid`: opened, but breaks the form's rules (sent around the public page). */
      readonly problem: "no_key" | "unreadable" | "invalid";
      /** For `invalid`: which rules it breaks (empty when the envelope itself is wrong). */
      readonly problems: readonly AnswerProblem[];
    });

export class FormsClient {
  #client: CommuneClient;

  constructor(client: CommuneClient) {
    this.#client = client;
  }

  #path(orgSlug: string, id?: string, tail = ""): string {
    return `/api/v1/orgs/${seg(orgSlug)}/forms${id === undefined ? "" : `/${seg(id)}`}${tail}`;
  }

  list(orgSlug: string): Promise<Form[]> {
    return this.#client.request("GET", this.#path(orgSlug));
  }
  create(orgSlug: string, input: CreateForm): Promise<Form> {
    return this.#client.request("POST", this.#path(orgSlug), input);
  }
  get(orgSlug: string, id: string): Promise<Form> {
    return this.#client.request("GET", this.#path(orgSlug, id));
  }
  update(orgSlug: string, id: string, input: UpdateForm): Promise<Form> {
    return this.#client.request("PATCH", this.#path(orgSlug, id), input);
  }
  /** Needs the organization's key: responses are sealed to it. */
  publish(orgSlug: string, id: string): Promise<Form> {
    return this.#client.request("POST", this.#path(orgSlug, id, "/publish"));
  }
  close(orgSlug: string, id: string): Promise<Form> {
    return this.#client.request("POST", this.#path(orgSlug, id, "/close"));
  }
  delete(orgSlug: string, id: string): Promise<void> {
    return this.#client.request("DELETE", this.#path(orgSlug, id));
  }
  deleteResponse(orgSlug: string, id: string, responseId: string): Promise<void> {
    return this.#client.request("DELETE", this.#path(orgSlug, id, `/responses/${seg(responseId)}`));
  }

  /** Every sealed response, page by page. */
  sealedResponses(orgSlug: string, id: string, pageSize = 500): AsyncGenerator<SealedResponse[]> {
    return sealedPages<SealedResponse>(this.#client, this.#path(orgSlug, id, "/responses"), pageSize);
  }

  /**
   * Fetches and opens every response with the organization's keys held by this device, and checks
   * each against the form's rules (the server cannot). Progress is reported after each page.
   */
  async openResponses(orgSlug: string, form: Form, onProgress?: (progress: OpenProgress) => void): Promise<OpenedResponse[]> {
    // organizers who are not administrators hold no copy of the key: they see what cannot be opened
    const ring = await this.#client.organizationKeyRing(orgSlug).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === "forbidden") return null;
      throw error;
    });
    const info = formSealInfo(form.id);
    return openAll(
      this.sealedResponses(orgSlug, form.id),
      async (sealed): Promise<OpenedResponse> => {
        const base = { id: sealed.id, status: sealed.status, createdAt: sealed.createdAt, confirmedAt: sealed.confirmedAt };
        const opened = await openSealedJson(ring, sealed, info);
        if (!opened.ok) return { ...base, ok: false, problem: opened.problem, problems: [] };
        const checked = checkPayload(opened.value, form);
        return checked.ok ? { ...base, ok: true, payload: checked.payload } : { ...base, ok: false, problem: "invalid", problems: checked.problems };
      },
      onProgress,
    );
  }
}

/** The envelope, then the answers against the form's rules: the same rules the public page applied. */
function checkPayload(value: unknown, form: Form): { ok: true; payload: ResponsePayload } | { ok: false; problems: AnswerProblem[] } {
  const bad = { ok: false as const, problems: [] };
  if (!value || typeof value !== "object" || Array.isArray(value)) return bad;
  const p = value as Record<string, unknown>;
  if (p.v !== 1 || p.formId !== form.id || typeof p.answeredAt !== "number" || !(LANGUAGES as readonly unknown[]).includes(p.language)) return bad;
  if (p.email !== undefined && typeof p.email !== "string") return bad;
  if (!p.answers || typeof p.answers !== "object" || Array.isArray(p.answers)) return bad;
  const problems = answerProblems(form, p.answers as Record<string, unknown>);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, payload: value as ResponsePayload };
}

/** Responses the summary counts: opened, valid, and confirmed where the form asks for it. */
function counted(opened: readonly OpenedResponse[]): ResponsePayload[] {
  return opened.flatMap((r) => (r.ok && r.status === "complete" ? [r.payload] : []));
}

export interface Bin {
  /** The bin's range, both ends included for a single value (`from === to`), else [from, to). */
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** One question summed up over the counted responses. `answered` is how many answered it. */
export type QuestionSummary =
  | { readonly id: string; readonly kind: "singleChoice" | "multipleChoice"; readonly answered: number; readonly counts: readonly { readonly choice: string; readonly count: number }[] }
  | { readonly id: string; readonly kind: "number"; readonly answered: number; readonly min: number | null; readonly max: number | null; readonly mean: number | null; readonly bins: readonly Bin[] }
  | { readonly id: string; readonly kind: "date"; readonly answered: number; readonly counts: readonly { readonly month: string; readonly count: number }[] }
  | { readonly id: string; readonly kind: "consent"; readonly answered: number }
  | { readonly id: string; readonly kind: "shortText" | "longText" | "email"; readonly answered: number; readonly values: readonly string[] };

export interface FormSummary {
  /** Responses summed up. */
  readonly counted: number;
  /** Valid responses still waiting for their email confirmation (not summed up). */
  readonly pending: number;
  /** Responses that break the form's rules. */
  readonly invalid: number;
  /** Responses this device cannot open (another key, or damaged). */
  readonly unreadable: number;
  readonly questions: readonly QuestionSummary[];
}

const BINS = 10;

/** Up to ten bins: one per value when there are that few, else equal widths from min to max. */
function histogram(values: readonly number[]): Bin[] {
  if (values.length === 0) return [];
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= BINS) return distinct.map((v) => ({ from: v, to: v, count: values.filter((x) => x === v).length }));
  const [min, max] = [distinct[0] as number, distinct.at(-1) as number];
  const width = (max - min) / BINS;
  const bins = Array.from({ length: BINS }, (_, i) => ({ from: min + i * width, to: i === BINS - 1 ? max : min + (i + 1) * width, count: 0 }));
  for (const v of values) (bins[Math.min(BINS - 1, Math.floor((v - min) / width))] as { count: number }).count++;
  return bins;
}

function summarize(question: FormQuestion, answers: readonly unknown[]): QuestionSummary {
  const given = answers.filter((a) => !isUnanswered(a));
  const answered = given.length;
  switch (question.kind) {
    case "singleChoice":
    case "multipleChoice": {
      const picked = given.flatMap((a) => (Array.isArray(a) ? a : [a]));
      return { id: question.id, kind: question.kind, answered, counts: question.choices.map((choice) => ({ choice, count: picked.filter((p) => p === choice).length })) };
    }
    case "number": {
      const values = given as number[];
      const sum = values.reduce((a, b) => a + b, 0);
      return {
        id: question.id,
        kind: "number",
        answered,
        min: answered ? Math.min(...values) : null,
        max: answered ? Math.max(...values) : null,
        mean: answered ? sum / answered : null,
        bins: histogram(values),
      };
    }
    case "date": {
      const months = new Map<string, number>();
      for (const d of given as string[]) months.set(d.slice(0, 7), (months.get(d.slice(0, 7)) ?? 0) + 1);
      return { id: question.id, kind: "date", answered, counts: [...months].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count })) };
    }
    case "consent":
      return { id: question.id, kind: "consent", answered };
    default:
      return { id: question.id, kind: question.kind, answered, values: (given as string[]).map((v) => v.trim()) };
  }
}

/** Per question: counts for choices, a histogram for numbers, months for dates, the texts given. */
export function formSummary(form: Pick<Form, "questions">, opened: readonly OpenedResponse[]): FormSummary {
  const payloads = counted(opened);
  return {
    counted: payloads.length,
    pending: opened.filter((r) => r.ok && r.status === "pending").length,
    invalid: opened.filter((r) => !r.ok && r.problem === "invalid").length,
    unreadable: opened.filter((r) => !r.ok && r.problem !== "invalid").length,
    questions: form.questions.map((q) => summarize(q, payloads.map((p) => p.answers[q.id]))),
  };
}

/**
 * The valid responses as CSV (RFC 4180), one column per question headed by its label in
 * `language` (or the form's default), choices by their labels, several choices joined by "; ".
 */
export function responsesCsv(form: Pick<Form, "questions" | "translations" | "defaultLanguage" | "confirmEmail">, opened: readonly OpenedResponse[], language: Language = form.defaultLanguage): string {
  const { text } = formTextIn(form, language);
  const label = (q: FormQuestion) => text.questions[q.id]?.label ?? q.id;
  const choice = (q: FormQuestion, id: string) => text.questions[q.id]?.choices?.[id] ?? id;
  const cell = (q: FormQuestion, value: unknown): CsvValue => {
    if (value === undefined) return "";
    if (q.kind === "singleChoice") return choice(q, value as string);
    if (q.kind === "multipleChoice") return (value as string[]).map((c) => choice(q, c)).join("; ");
    return value as CsvValue;
  };
  const header: CsvValue[] = ["status", "answeredAt", "confirmedAt", "language", ...(form.confirmEmail ? ["email"] : []), ...form.questions.map(label)];
  const rows = opened.flatMap((r) => {
    if (!r.ok) return [];
    const p = r.payload;
    const when = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());
    return [[r.status, when(p.answeredAt), when(r.confirmedAt), p.language, ...(form.confirmEmail ? [p.email] : []), ...form.questions.map((q) => cell(q, p.answers[q.id]))]];
  });
  return csvDocument(header, rows);
}
