/**
 * One question of a public form, as the control its kind calls for: a text field, a text area, an
 * email, number or date field, radio buttons, checkboxes, or a single consent checkbox. Choice
 * questions are fieldsets whose legend is the question; hints and errors are tied to the controls
 * with aria-describedby; required questions carry a visible * and the word for screen readers.
 */
import { LONG_TEXT_MAX, SHORT_TEXT_MAX, type FormQuestion, type Language, type QuestionText } from "@commune/protocol";
import { useId, type ReactNode } from "react";
import { PublicTextArea, PublicTextField } from "../fields.tsx";
import { usePublicI18n } from "../i18n.tsx";

/** What a control holds: text for most kinds, the chosen ids for multiple choice, a tick for consent. */
export type RawAnswer = string | readonly string[] | boolean;

export interface AnswerFieldProps {
  readonly question: FormQuestion;
  readonly text: QuestionText;
  /** The language the words are in (it may differ from the page's when a translation is missing). */
  readonly lang: Language;
  readonly value: RawAnswer | undefined;
  readonly error: string | null;
  readonly onChange: (value: RawAnswer) => void;
}

function RequiredMark() {
  const { t } = usePublicI18n();
  return (
    <>
      <span className="required-mark" aria-hidden="true">
        {" "}
        *
      </span>
      <span className="visually-hidden"> ({t.requiredMark})</span>
    </>
  );
}

/** A fieldset of radio buttons or checkboxes, or one consent checkbox, with its words around it. */
function Group({ legend, required, hint, error, children }: { legend: ReactNode; required: boolean; hint?: string; error: string | null; children: (describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="field choice-group answer-group">
      <legend className="field-label" dir="auto">
        {legend}
        {required && <RequiredMark />}
      </legend>
      {hint && (
        <p id={`${id}-hint`} className="field-hint" dir="auto">
          {hint}
        </p>
      )}
      <div className="choices">{children(describedBy)}</div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Option({ type, name, label, checked, invalid, describedBy, onChange }: { type: "radio" | "checkbox"; name: string; label: string; checked: boolean; invalid: boolean; describedBy: string | undefined; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="choice">
      <input id={id} type={type} name={name} checked={checked} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => onChange(e.target.checked)} />
      <div className="choice-text">
        <label htmlFor={id} dir="auto">
          {label}
        </label>
      </div>
    </div>
  );
}

/** One checkbox that is the whole question ("I agree to …"): its label is the question. */
function ConsentBox({ name, label, hint, required, error, checked, onChange }: { name: string; label: string; hint?: string; required: boolean; error: string | null; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <div className="choice">
        <input id={id} type="checkbox" name={name} checked={checked} aria-required={required || undefined} aria-invalid={error ? true : undefined} aria-describedby={describedBy} onChange={(e) => onChange(e.target.checked)} />
        <div className="choice-text">
          <label htmlFor={id} dir="auto">
            {label}
            {required && <RequiredMark />}
          </label>
          {hint && (
            <span id={`${id}-hint`} className="choice-hint" dir="auto">
              {hint}
            </span>
          )}
          {error && (
            <span id={`${id}-error`} className="field-error">
              {error}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

export function AnswerField({ question, text, lang, value, error, onChange }: AnswerFieldProps) {
  const name = `answer-${question.id}`;
  const hint = text.help?.trim() || undefined;
  const str = typeof value === "string" ? value : "";
  const common = { name, label: text.label, hint, required: question.required, error, lang, value: str, onChange: (e: { target: { value: string } }) => onChange(e.target.value) };
  switch (question.kind) {
    case "shortText":
      return <PublicTextField {...common} dir="auto" maxLength={SHORT_TEXT_MAX} />;
    case "longText":
      return <PublicTextArea {...common} dir="auto" rows={5} maxLength={LONG_TEXT_MAX} />;
    case "email":
      return <PublicTextField {...common} type="email" inputMode="email" autoComplete="email" dir="ltr" maxLength={254} />;
    case "date":
      return <PublicTextField {...common} type="date" dir="ltr" />;
    case "number":
      return <PublicTextField {...common} type="number" inputMode="decimal" step="any" dir="ltr" {...(question.min !== null ? { min: question.min } : {})} {...(question.max !== null ? { max: question.max } : {})} />;
    case "consent":
      return <ConsentBox name={name} label={text.label} hint={hint} required={question.required} error={error} checked={value === true} onChange={onChange} />;
    case "singleChoice":
    case "multipleChoice": {
      const chosen = Array.isArray(value) ? (value as readonly string[]) : typeof value === "string" && value !== "" ? [value] : [];
      const single = question.kind === "singleChoice";
      return (
        <Group legend={text.label} required={question.required} hint={hint} error={error}>
          {(describedBy) =>
            question.choices.map((choice, i) => (
              <Option
                key={choice}
                type={single ? "radio" : "checkbox"}
                name={name}
                label={text.choices?.[choice] ?? choice}
                checked={chosen.includes(choice)}
                // the first control carries the error, so focus lands where it is explained
                invalid={error !== null && i === 0}
                describedBy={describedBy}
                onChange={(checked) => onChange(single ? choice : checked ? question.choices.filter((c) => c === choice || chosen.includes(c)) : chosen.filter((c) => c !== choice))}
              />
            ))
          }
        </Group>
      );
    }
  }
}

/** The answers as the protocol takes them: numbers as numbers, the empty left out. */
export function toAnswers(questions: readonly FormQuestion[], raw: Readonly<Record<string, RawAnswer>>): Record<string, string | number | boolean | readonly string[]> {
  const answers: Record<string, string | number | boolean | readonly string[]> = {};
  for (const q of questions) {
    const value = raw[q.id];
    if (value === undefined || value === false || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    if (q.kind === "number" && typeof value === "string") {
      // a comma as decimal separator, as many keyboards type it
      const n = Number(value.trim().replace(",", "."));
      answers[q.id] = value.trim() === "" ? "" : Number.isFinite(n) ? n : value;
    } else answers[q.id] = value;
  }
  return answers;
}
