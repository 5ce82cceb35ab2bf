/**
 * /f/<slug>: a form as the public sees it — its title and introduction, the questions, and what
 * happens once the answers are sent. Phone first: one column, large controls, the page's language
 * and direction following the form's translations.
 */
import { formTextIn, type PublicForm } from "@commune/protocol";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Markdown } from "../../markdown/markdown.tsx";
import { Button } from "../../ui/button.tsx";
import { codeOf } from "../errors.ts";
import { usePublicI18n } from "../i18n.tsx";
import { useTitle } from "../public-frame.tsx";
import { FormFrame } from "./form-frame.tsx";
import { AnswerForm, type AnswerOutcome } from "./answer-form.tsx";
import { formErrorText } from "./form-errors.ts";
import { useFormMessages, type PublicFormMessages } from "./form-messages.ts";
import { formLanguages, usePublicForm } from "./use-public-form.ts";
import "./public-form.css";

export function FormPage({ slug }: { slug: string }) {
  const m = useFormMessages();
  const { resource, reload } = usePublicForm(slug);
  if (!m || resource.status === "loading") return <FormLoading m={m} />;
  if (resource.status === "error") return <FormLoadFailed m={m} error={resource.error} retry={reload} />;
  return <FormView form={resource.data} m={m} reload={reload} />;
}

export function FormLoading({ m }: { m: PublicFormMessages | null }) {
  return (
    <FormFrame m={m}>
      <p className="loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> {m?.loading ?? ""}
      </p>
    </FormFrame>
  );
}

/** An unknown address, or a failure to load (offline): says which, and offers to try again. */
export function FormLoadFailed({ m, error, retry }: { m: PublicFormMessages; error: unknown; retry: () => void }) {
  const missing = codeOf(error) === "not_found";
  useTitle(missing ? m.notFoundTitle : m.loadFailedTitle);
  return (
    <FormFrame m={m}>
      <div className="stack narrow">
        <h1 className="page-heading">{missing ? m.notFoundTitle : m.loadFailedTitle}</h1>
        <p role="alert">{missing ? m.notFound : formErrorText(m, error)}</p>
        {!missing && <Button onClick={retry}>{m.retry}</Button>}
      </div>
    </FormFrame>
  );
}

function FormView({ form, m, reload }: { form: PublicForm; m: PublicFormMessages; reload: () => Promise<void> }) {
  const { language, format } = usePublicI18n();
  const { text, language: textLanguage } = formTextIn(form, language);
  const [outcome, setOutcome] = useState<AnswerOutcome | null>(null);
  useTitle(text.title);
  let body: ReactNode;
  if (outcome) body = <AnsweredPanel outcome={outcome} m={m} />;
  else if (form.state === "closed") body = <p className="alert alert-info">{m.closed}</p>;
  else if (form.state === "full") body = <p className="alert alert-info">{m.full}</p>;
  else if (form.key === null) body = <p className="alert alert-warning">{m.noKey}</p>;
  else
    body = (
      <>
        {form.confirmEmail && !form.mail && <p className="alert alert-warning">{m.noMailWarning}</p>}
        <AnswerForm form={form} m={m} onAnswered={setOutcome} onStale={reload} />
      </>
    );
  return (
    <FormFrame m={m} organization={form.organization.name} languages={formLanguages(form)}>
      <div className="stack narrow public-form" data-form={form.slug}>
        <header className="stack" lang={textLanguage}>
          <h1 className="page-heading" dir="auto">
            {text.title}
          </h1>
          {text.intro.trim() !== "" && <Markdown source={text.intro} lang={textLanguage} className="form-intro" headingOffset={1} />}
          {form.state === "open" && form.closesAt !== null && <p className="muted">{m.closesOn(format.dateTime(form.closesAt))}</p>}
        </header>
        {body}
      </div>
    </FormFrame>
  );
}

/** What happens next, once the answers are sent: focus moves here, so it is read out at once. */
function AnsweredPanel({ outcome, m }: { outcome: AnswerOutcome; m: PublicFormMessages }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const kind = outcome.kind === "already-answered" ? "already-answered" : outcome.status === "complete" ? "complete" : outcome.mailed ? "mailed" : "not-mailed";
  const title = { "already-answered": m.alreadyAnsweredTitle, complete: m.thanksTitle, mailed: m.mailboxTitle, "not-mailed": m.noMailTitle }[kind];
  return (
    <section className="card stack answer-outcome" aria-labelledby="answer-outcome" data-outcome={kind}>
      <h2 id="answer-outcome" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {outcome.kind === "already-answered" ? (
        <p>{m.errors.already_answered}</p>
      ) : kind === "complete" ? (
        <p>{m.thanksBody}</p>
      ) : kind === "mailed" ? (
        <>
          <p>{m.mailboxBody(outcome.email ?? "")}</p>
          {outcome.resent && <p>{m.mailboxResent}</p>}
          <p className="muted">{m.mailboxSpam}</p>
        </>
      ) : (
        <p>{m.noMailBody}</p>
      )}
    </section>
  );
}
