/**
 * The responses one by one, as opened on this device: each with its answers under the questions'
 * words, its status, and a button to delete it. Responses that break the form's rules are marked;
 * those this device cannot open say so. Shown fifty at a time.
 */
import type { OpenedResponse } from "@commune/client";
import type { Form, FormQuestion, FormText, Language } from "@commune/protocol";
import { useState } from "react";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";

const PAGE = 50;

export function ResponseList({ form, responses, text, lang, onDelete }: { form: Form; responses: readonly OpenedResponse[]; text: FormText; lang: Language; onDelete: (id: string, index: number) => void }) {
  const { t } = useI18n();
  const m = t.forms.org;
  const [shown, setShown] = useState(PAGE);
  return (
    <section className="stack" aria-labelledby="responses-title">
      <h2 id="responses-title">{m.individual}</h2>
      <ol className="response-list">
        {responses.slice(0, shown).map((response, i) => (
          <ResponseItem key={response.id} form={form} response={response} index={i + 1} text={text} lang={lang} onDelete={() => onDelete(response.id, i + 1)} />
        ))}
      </ol>
      {responses.length > shown && <Button onClick={() => setShown((s) => s + PAGE)}>{m.showMore}</Button>}
    </section>
  );
}

function ResponseItem({ form, response, index, text, lang, onDelete }: { form: Form; response: OpenedResponse; index: number; text: FormText; lang: Language; onDelete: () => void }) {
  const { t, format } = useI18n();
  const m = t.forms.org;
  const headingId = `response-${response.id}`;
  return (
    <li className="card stack response-item" aria-labelledby={headingId} data-response={response.id}>
      <div className="page-title-row">
        <h3 id={headingId}>{m.responseN(index)}</h3>
        <Button variant="quiet" onClick={onDelete} aria-label={`${m.deleteResponse} — ${m.responseN(index)}`}>
          {m.deleteResponse}
        </Button>
      </div>
      <p className="meta">
        <span>{m.statuses[response.status]}</span>
        <span>{format.dateTime(response.ok ? response.payload.answeredAt : response.createdAt)}</span>
        {!response.ok && <span className="badge">{response.problem === "invalid" ? m.invalidResponse : m.unreadable(1)}</span>}
      </p>
      {response.ok && (
        <dl className="facts" lang={lang}>
          {response.payload.email !== undefined && (
            <div className="fact">
              <dt>{t.forms.pub.email}</dt>
              <dd dir="ltr">{response.payload.email}</dd>
            </div>
          )}
          {form.questions.map((q) => (
            <div key={q.id} className="fact">
              <dt dir="auto">{text.questions[q.id]?.label ?? q.id}</dt>
              <dd dir="auto">{answerText(q, response.payload.answers[q.id], text, m.unanswered, m.yes)}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

/** An answer as words: choices by their labels, a ticked box as "yes". */
function answerText(q: FormQuestion, value: unknown, text: FormText, none: string, yes: string): string {
  if (value === undefined) return none;
  const choice = (id: string) => text.questions[q.id]?.choices?.[id] ?? id;
  if (q.kind === "singleChoice") return choice(String(value));
  if (q.kind === "multipleChoice" && Array.isArray(value)) return value.map((v) => choice(String(v))).join(", ");
  if (q.kind === "consent") return value === true ? yes : none;
  return String(value);
}
