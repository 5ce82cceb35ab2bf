/** What went wrong while answering a form, each sentence saying what to do next. */
import type { AnswerProblemKind, ErrorCode, FormQuestion } from "@commune/protocol";
import { SHORT_TEXT_MAX, LONG_TEXT_MAX } from "@commune/protocol";
import { problemOf } from "../errors.ts";
import type { PublicFormMessages } from "./form-messages.ts";

export function formErrorText(m: PublicFormMessages, error: unknown): string {
  const problem = problemOf(error);
  if (problem) {
    if (problem.code === "rate_limited" && problem.retryAfter) return m.retryAfter(Math.ceil(problem.retryAfter));
    const sentences: Partial<Record<ErrorCode, string>> = m.errors;
    return sentences[problem.code] ?? m.unknown;
  }
  // fetch rejects with a TypeError when the network is down
  return error instanceof TypeError ? m.network : m.unknown;
}

/** The sentence under a question whose answer breaks a rule. */
export function answerProblemText(m: PublicFormMessages, question: FormQuestion, problem: AnswerProblemKind): string {
  const p = m.problems;
  switch (problem) {
    case "required":
      return question.kind === "consent" ? p.consentRequired : question.kind === "singleChoice" || question.kind === "multipleChoice" ? p.choose : p.required;
    case "tooLong":
      return p.tooLong(question.kind === "longText" ? LONG_TEXT_MAX : SHORT_TEXT_MAX);
    case "min":
      return question.kind === "number" && question.min !== null ? p.min(question.min) : p.number;
    case "max":
      return question.kind === "number" && question.max !== null ? p.max(question.max) : p.number;
    case "type":
      return question.kind === "number" ? p.number : p.invalid;
    case "date":
      return p.date;
    case "email":
      return p.email;
    case "choice":
    case "unknown":
      return p.choose;
  }
}
