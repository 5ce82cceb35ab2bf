/**
 * Answering a form as a member of the public: the answers are checked against the form's rules,
 * sealed to the organization's key on this device, and sent with a solved proof of work. When the
 * form confirms by email, the address goes twice: sealed for the organization, and in clear for the
 * confirmation mail (the server does not keep it).
 */
import { fromBase64Url, seal, toBase64Url } from "@commune/crypto";
import {
  answerProblems,
  fitsSealedResponse,
  formPowPurpose,
  formSealInfo,
  isEmailAddress,
  isUnanswered,
  type AnswerProblem,
  type FormAnswers,
  type Language,
  type PowChallenge,
  type PublicForm,
  type ResponseConfirmation,
  type ResponsePayload,
  type ResponseReceipt,
} from "@commune/protocol";
import type { PublicApi } from "./public-api.ts";

export type AnsweringStage = "sealing" | "challenge" | "solving" | "sending";

export interface AnswerOptions {
  readonly language: Language;
  /** For forms that confirm by email: the address the link goes to. */
  readonly email?: string;
  /** Solves the server's challenge; the browser passes one that runs in a worker with progress. */
  readonly solve: (challenge: PowChallenge) => Promise<string>;
  readonly onStage?: (stage: AnsweringStage) => void;
  /** For tests: the moment recorded inside the sealed response. */
  readonly now?: number;
}

/**
 * Thrown before anything is sent: answers that break the form's rules (`problems`), a missing
 * confirmation address (`email`), or answers too long to seal (`tooLarge`).
 */
export class AnswerInputError extends Error {
  readonly problems: readonly AnswerProblem[];
  readonly email: boolean;
  readonly tooLarge: boolean;
  constructor(problems: readonly AnswerProblem[], flags: { email?: boolean; tooLarge?: boolean } = {}) {
    super(flags.tooLarge ? "the answers are too long" : flags.email ? "a valid email address is needed for the confirmation" : `some answers break the form's rules: ${problems.map((p) => `${p.question} (${p.problem})`).join(", ")}`);
    this.name = "AnswerInputError";
    this.problems = problems;
    this.email = flags.email ?? false;
    this.tooLarge = flags.tooLarge ?? false;
  }
}

export function publicForm(api: PublicApi, slug: string): Promise<PublicForm> {
  return api.request("GET", `/api/v1/public/forms/${encodeURIComponent(slug)}`);
}

/** Only the answered questions, text trimmed: what the organization will read. */
function cleaned(form: PublicForm, answers: FormAnswers): FormAnswers {
  const out: Record<string, FormAnswers[string]> = {};
  for (const q of form.questions) {
    const value = Object.hasOwn(answers, q.id) ? answers[q.id] : undefined;
    if (value === undefined || isUnanswered(value)) continue;
    out[q.id] = typeof value === "string" ? value.trim() : value;
  }
  return out;
}

/** Checks the answers and seals them to the organization's current key. */
export function sealAnswers(form: PublicForm, answers: FormAnswers, options: { language: Language; email?: string; now: number }): { keyId: string; sealed: string } {
  if (!form.key) throw new Error("the organization has no key yet");
  const problems = answerProblems(form, answers);
  if (problems.length > 0) throw new AnswerInputError(problems);
  const email = options.email?.trim() ?? "";
  if (form.confirmEmail && !isEmailAddress(email)) throw new AnswerInputError([], { email: true });
  const payload: ResponsePayload = {
    v: 1,
    formId: form.id,
    answers: cleaned(form, answers),
    ...(form.confirmEmail ? { email } : {}),
    language: options.language,
    answeredAt: options.now,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  if (!fitsSealedResponse(bytes.length)) throw new AnswerInputError([], { tooLarge: true });
  return { keyId: form.key.id, sealed: toBase64Url(seal(fromBase64Url(form.key.publicKey), bytes, formSealInfo(form.id))) };
}

/** Checks, seals, solves the proof of work and sends; the receipt says whether a mail went out. */
export async function answerForm(api: PublicApi, form: PublicForm, answers: FormAnswers, options: AnswerOptions): Promise<ResponseReceipt> {
  // check and seal first: a mistake in the answers should not cost a proof of work
  options.onStage?.("sealing");
  const { keyId, sealed } = sealAnswers(form, answers, { language: options.language, email: options.email, now: options.now ?? Date.now() });
  options.onStage?.("challenge");
  const challenge = await api.powChallenge(formPowPurpose(form.id));
  options.onStage?.("solving");
  const pow = await options.solve(challenge);
  options.onStage?.("sending");
  return api.request("POST", `/api/v1/public/forms/${encodeURIComponent(form.slug)}/responses`, {
    pow,
    keyId,
    sealed,
    email: form.confirmEmail ? (options.email?.trim() ?? null) : null,
    language: options.language,
  });
}

/** Confirms a response with the token from the mailed link (after `#`). */
export function confirmResponse(api: PublicApi, token: string): Promise<ResponseConfirmation> {
  return api.request("POST", "/api/v1/public/form-responses/confirm", { token });
}
