/**
 * Building a form: its address, its languages, a title and introduction per language, the
 * questions (words per language, kind, required, choices, bounds), and how answers are taken —
 * limit, closing date, confirmation by mail, one response per address, retention.
 */
import { FORM_INTRO_MAX, FORM_QUESTIONS_MAX, FORM_RESPONSE_LIMIT_MAX, type Form, type Language, type OrganizationSummary } from "@commune/protocol";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { isCode } from "../../errors.ts";
import { AUTONYMS, useI18n } from "../../i18n/index.tsx";
import { navigate, paths } from "../../router.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { Choice, TextField, focusFirstInvalid } from "../../ui/fields.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction } from "../../ui/use-async.ts";
import { AddressAndLanguages } from "../address-and-languages.tsx";
import { MarkdownField } from "../markdown-field.tsx";
import { draftOf, draftProblems, formInput, newDraft, newQuestion, type Draft, type DraftProblems, type QuestionDraft, type QuestionTextDraft, type TextDraft } from "./form-draft.ts";
import { FormsNoMailNotice } from "./forms-notices.tsx";
import { QuestionEditor } from "./question-editor.tsx";

export function NewForm({ org }: { org: OrganizationSummary }) {
  const { t } = useI18n();
  const m = t.forms.org;
  return (
    <div className="stack">
      <PageHeading title={`${m.newTitle} · ${org.name}`}>{m.newTitle}</PageHeading>
      <FormEditor
        org={org}
        onSaved={(form) => {
          announce(m.created);
          navigate(paths.form(org.slug, form.id));
        }}
      />
    </div>
  );
}

/** The builder, empty for a new form or filled from `form`; `onSaved` gets what the server kept. */
export function FormEditor({ org, form, onSaved }: { org: OrganizationSummary; form?: Form; onSaved: (form: Form) => void | Promise<void> }) {
  const { t } = useI18n();
  const m = t.forms.org;
  const element = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<Draft>(() => (form ? draftOf(form) : newDraft(org.languages)));
  const [problems, setProblems] = useState<DraftProblems>({});
  // after a first attempt, the problems follow the edits: a fixed field loses its error at once
  const [attempted, setAttempted] = useState(false);
  useEffect(() => {
    if (attempted) setProblems(draftProblems(draft, t));
  }, [draft, attempted, t]);
  const locked = form !== undefined && form.status !== "draft";
  const action = useAction(async () => {
    const input = formInput(draft);
    try {
      if (!form) return await onSaved(await client.forms.create(org.slug, input));
      // once published, what respondents relied on is not sent again
      const { slug: _slug, questions: _questions, confirmEmail: _confirm, onePerAddress: _once, ...changes } = input;
      await onSaved(await client.forms.update(org.slug, form.id, locked ? changes : input));
    } catch (error) {
      if (isCode(error, "slug_taken")) {
        setProblems({ slug: m.slugTaken });
        focusFirstInvalid(element.current);
      }
      throw error;
    }
  });

  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const changeText = (language: Language, patch: Partial<TextDraft>) => setDraft((d) => ({ ...d, texts: { ...d.texts, [language]: { ...d.texts[language], ...patch } } }));
  const changeQuestion = (id: string, patch: Partial<QuestionDraft>) => setDraft((d) => ({ ...d, questions: d.questions.map((q) => (q.id === id ? { ...q, ...patch } : q)) }));
  const changeWords = (id: string, language: Language, patch: Partial<QuestionTextDraft>) =>
    setDraft((d) => {
      const text = d.texts[language];
      const words = text.questions[id] ?? { label: "", help: "", choices: {} };
      return { ...d, texts: { ...d.texts, [language]: { ...text, questions: { ...text.questions, [id]: { ...words, ...patch } } } } };
    });
  const move = (index: number, by: -1 | 1) => {
    const questions = [...draft.questions];
    const [moved] = questions.splice(index, 1);
    if (!moved) return;
    questions.splice(index + by, 0, moved);
    change({ questions });
    announce(m.questionMoved(index + by + 1));
    // the moved question's own button keeps focus where it went
    requestAnimationFrame(() => element.current?.querySelector<HTMLElement>(`[data-question="${moved.id}"] .question-tools button:nth-child(${by < 0 ? 1 : 2})`)?.focus());
  };
  const add = () => {
    const question = newQuestion(draft.questions.map((q) => q.id));
    change({ questions: [...draft.questions, question] });
    announce(m.questionAdded(draft.questions.length + 1));
    requestAnimationFrame(() => element.current?.querySelector<HTMLElement>(`[data-question="${question.id}"] input`)?.focus());
  };
  const remove = (id: string) => {
    change({ questions: draft.questions.filter((q) => q.id !== id) });
    announce(m.questionRemoved);
    requestAnimationFrame(() => element.current?.querySelector<HTMLElement>(".add-question")?.focus());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = draftProblems(draft, t);
    setAttempted(true);
    setProblems(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid(element.current);
    await action.run();
  };

  const example = `${location.origin}/f/${draft.slug || "…"}`;
  return (
    <form ref={element} className="stack form-editor" onSubmit={submit} noValidate aria-busy={action.busy || undefined} aria-label={form ? m.editTitle : m.newTitle}>
      {form && <h2>{m.editTitle}</h2>}
      <div className="card stack">
        <AddressAndLanguages words={m} name="form-slug" addressHint={locked ? m.addressLocked : m.addressHint(example)} locked={locked} value={draft} problems={problems} onChange={change} />
        {draft.languages.map((language) => (
          <TitleFields key={language} language={language} text={draft.texts[language]} problems={problems} onChange={(patch) => changeText(language, patch)} />
        ))}
      </div>
      <section className="stack" aria-labelledby="questions-title">
        <h2 id="questions-title">{m.questions}</h2>
        <p className="field-hint">{locked ? m.addressLocked : m.questionsHint}</p>
        {draft.questions.map((question, index) => (
          <QuestionEditor
            key={question.id}
            index={index}
            count={draft.questions.length}
            question={question}
            languages={draft.languages}
            texts={draft.texts}
            problems={problems}
            locked={locked}
            onChange={(patch) => changeQuestion(question.id, patch)}
            onText={(language, patch) => changeWords(question.id, language, patch)}
            onMove={(by) => move(index, by)}
            onRemove={() => remove(question.id)}
          />
        ))}
        {problems.questions && (
          <p className="field-error" role="alert">
            {problems.questions}
          </p>
        )}
        {!locked && draft.questions.length < FORM_QUESTIONS_MAX && (
          <div className="actions">
            <Button className="add-question" onClick={add}>
              {m.addQuestion}
            </Button>
          </div>
        )}
      </section>
      <fieldset className="card stack">
        <legend className="field-label">{m.settings}</legend>
        <Choice type="checkbox" name="form-limit" label={m.limit} hint={m.limitHint} checked={draft.limit} onChange={(e) => change({ limit: e.target.checked })} />
        {draft.limit && (
          <TextField label={m.responseLimit} name="response-limit" type="number" inputMode="numeric" min={1} max={FORM_RESPONSE_LIMIT_MAX} dir="ltr" value={draft.responseLimit} onChange={(e) => change({ responseLimit: e.target.value })} error={problems.responseLimit} />
        )}
        <TextField label={m.closesAt} hint={m.closesAtHint} optional name="closes-at" type="datetime-local" value={draft.closesAt} onChange={(e) => change({ closesAt: e.target.value })} error={problems.closesAt} />
        <FormsNoMailNotice when={draft.confirmEmail} />
        <Choice type="checkbox" name="confirm-email" label={m.confirmEmail} hint={m.confirmEmailHint} disabled={locked} checked={draft.confirmEmail} onChange={(e) => change({ confirmEmail: e.target.checked })} />
        <Choice
          type="checkbox"
          name="one-per-address"
          label={m.onePerAddress}
          hint={m.onePerAddressHint}
          disabled={locked || !draft.confirmEmail}
          checked={draft.confirmEmail && draft.onePerAddress}
          onChange={(e) => change({ onePerAddress: e.target.checked })}
        />
        <Choice type="checkbox" name="retention" label={m.retention} hint={m.retentionHint} checked={draft.retention} onChange={(e) => change({ retention: e.target.checked })} />
        {draft.retention && (
          <TextField label={m.retentionDays} name="retention-days" type="number" inputMode="numeric" min={1} max={3650} dir="ltr" value={draft.retentionDays} onChange={(e) => change({ retentionDays: e.target.value })} error={problems.retentionDays} />
        )}
      </fieldset>
      <ErrorAlert error={isCode(action.error, "slug_taken") ? null : action.error} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          {form ? m.save : m.createSubmit}
        </Button>
      </div>
    </form>
  );
}

/** One language's title and introduction, with a preview of the introduction as the public will see it. */
function TitleFields({ language, text, problems, onChange }: { language: Language; text: TextDraft; problems: DraftProblems; onChange: (patch: Partial<TextDraft>) => void }) {
  const { t } = useI18n();
  const m = t.forms.org;
  const name = AUTONYMS[language];
  return (
    <fieldset className="field form-language">
      <legend className="field-label">{m.textIn(name)}</legend>
      <TextField label={m.formTitle} name={`title-${language}`} lang={language} dir="auto" maxLength={200} value={text.title} onChange={(e) => onChange({ title: e.target.value })} error={problems[`${language}.title`]} />
      <MarkdownField
        label={m.introLabel}
        hint={m.introHint}
        name={`intro-${language}`}
        language={language}
        rows={5}
        maxLength={FORM_INTRO_MAX}
        value={text.intro}
        previewLabel={m.previewOf(name)}
        previewEmpty={m.previewEmpty}
        onChange={(intro) => onChange({ intro })}
      />
    </fieldset>
  );
}
