/**
 * The answering form: the questions in the form's language, checked here with the protocol's own
 * rules before any work is done; then sealed to the organization's key on this device, the proof
 * of work solved with a progress bar, and sent. The stages are spoken through a live region.
 */
import { answerForm, type AnsweringStage } from "@commune/client/public";
import { answerProblems, formTextIn, isEmailAddress, type AnswerProblem, type PublicForm } from "@commune/protocol";
import { useRef, useState, type FormEvent } from "react";
import { useAction } from "../../ui/use-async.ts";
import { api } from "../api.ts";
import { codeOf } from "../errors.ts";
import { PublicTextField } from "../fields.tsx";
import { usePublicI18n } from "../i18n.tsx";
import { solveChallenge } from "../solver.ts";
import { SubmitFooter, focusFirstInvalid } from "../submit-footer.tsx";
import { AnswerField, toAnswers, type RawAnswer } from "./answer-fields.tsx";
import { answerProblemText, formErrorText } from "./form-errors.ts";
import type { PublicFormMessages } from "./form-messages.ts";

export type AnswerOutcome =
  | { readonly kind: "sent"; readonly status: "pending" | "complete"; readonly email: string | null; readonly mailed: boolean; readonly resent: boolean }
  | { readonly kind: "already-answered" };

const EMAIL_FIELD = "respondent-email";

export function AnswerForm({ form, m, onAnswered, onStale }: { form: PublicForm; m: PublicFormMessages; onAnswered: (outcome: AnswerOutcome) => void; onStale: () => Promise<void> }) {
  const { language } = usePublicI18n();
  const { text, language: textLanguage } = formTextIn(form, language);
  const element = useRef<HTMLFormElement>(null);
  const [raw, setRaw] = useState<Record<string, RawAnswer>>({});
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [stage, setStage] = useState<AnsweringStage | null>(null);
  const [solved, setSolved] = useState(0);

  /** The page's own check: the protocol's rules, then the confirmation address. */
  const check = (): Record<string, string> => {
    const found = problemsByQuestion(form, answerProblems(form, toAnswers(form.questions, raw)), m);
    if (form.confirmEmail) {
      const address = email.trim();
      if (address === "") found[EMAIL_FIELD] = m.problems.required;
      else if (!isEmailAddress(address)) found[EMAIL_FIELD] = m.problems.email;
    }
    return found;
  };

  const action = useAction(async () => {
    setSolved(0);
    try {
      const receipt = await answerForm(api, form, toAnswers(form.questions, raw), {
        language,
        ...(form.confirmEmail ? { email: email.trim() } : {}),
        solve: (challenge) => solveChallenge(challenge, setSolved),
        onStage: setStage,
      });
      onAnswered({ kind: "sent", status: receipt.status, email: form.confirmEmail ? email.trim() : null, mailed: receipt.mailed, resent: receipt.resent });
    } catch (error) {
      if (codeOf(error) === "already_answered") return onAnswered({ kind: "already-answered" });
      if (error instanceof Error && "problems" in error) {
        setErrors(problemsByQuestion(form, (error as { problems: readonly AnswerProblem[] }).problems, m));
        focusFirstInvalid(element.current);
      }
      throw error;
    } finally {
      setStage(null);
    }
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid(element.current);
    await action.run();
  };

  const code = codeOf(action.error);
  const count = Object.keys(errors).length;

  return (
    <form ref={element} className="card stack answer-form" onSubmit={submit} noValidate aria-labelledby="answer-title" aria-busy={action.busy || undefined}>
      <h2 id="answer-title">{m.formTitle}</h2>
      {form.questions.some((q) => q.required) || form.confirmEmail ? <p className="field-hint">{m.requiredNote}</p> : null}
      <div className="visually-hidden" role="status">
        {count > 0 ? m.problemCount(count) : ""}
      </div>
      <div className="stack" lang={textLanguage}>
        {form.questions.map((question) => (
          <AnswerField
            key={question.id}
            question={question}
            text={text.questions[question.id] ?? { label: question.id }}
            lang={textLanguage}
            value={raw[question.id]}
            error={errors[question.id] ?? null}
            onChange={(value) => {
              setRaw((r) => ({ ...r, [question.id]: value }));
              // a corrected answer loses its error at once; the rest wait for the next check
              setErrors(({ [question.id]: _fixed, ...rest }) => rest);
            }}
          />
        ))}
      </div>
      {form.confirmEmail && (
        <PublicTextField
          name={EMAIL_FIELD}
          type="email"
          inputMode="email"
          autoComplete="email"
          dir="ltr"
          label={m.email}
          hint={form.onePerAddress ? m.emailHintOnce : m.emailHint}
          required
          maxLength={254}
          error={errors[EMAIL_FIELD] ?? null}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      )}
      <p className="field-hint privacy-note">{m.privacy}</p>
      <SubmitFooter
        errorText={action.error ? formErrorText(m, action.error) : null}
        reload={code === "key_outdated" ? { label: m.reload, run: () => void onStale().then(() => action.setError(null)) } : null}
        submitLabel={m.submit}
        busy={action.busy}
        stage={stage}
        solved={solved}
        stageText={m.stages}
        solvingNote={m.solvingNote}
        progressLabel={m.progress}
      />
    </form>
  );
}

function problemsByQuestion(form: PublicForm, problems: readonly AnswerProblem[], m: PublicFormMessages): Record<string, string> {
  const found: Record<string, string> = {};
  for (const p of problems) {
    const question = form.questions.find((q) => q.id === p.question);
    if (question) found[question.id] = answerProblemText(m, question, p.problem);
  }
  return found;
}
