/**
 * One question of the form builder: its words in each of the form's languages, its kind of answer,
 * whether an answer is required, its choices or number bounds, and buttons to move or remove it.
 * Once the form is published the structure is locked and only the words change.
 */
import { QUESTION_KINDS, type Language, type QuestionKind } from "@commune/protocol";
import { AUTONYMS, useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Choice, SelectField, TextField } from "../../ui/fields.tsx";
import { freshId, hasChoices, type DraftProblems, type QuestionDraft, type QuestionTextDraft, type TextDraft } from "./form-draft.ts";

export interface QuestionEditorProps {
  readonly index: number;
  readonly count: number;
  readonly question: QuestionDraft;
  readonly languages: readonly Language[];
  readonly texts: Record<Language, TextDraft>;
  readonly problems: DraftProblems;
  readonly locked: boolean;
  readonly onChange: (patch: Partial<QuestionDraft>) => void;
  readonly onText: (language: Language, patch: Partial<QuestionTextDraft>) => void;
  readonly onMove: (by: -1 | 1) => void;
  readonly onRemove: () => void;
}

const NO_WORDS: QuestionTextDraft = { label: "", help: "", choices: {} };

export function QuestionEditor({ index, count, question, languages, texts, problems, locked, onChange, onText, onMove, onRemove }: QuestionEditorProps) {
  const { t } = useI18n();
  const m = t.forms.org;
  const number = index + 1;
  const several = languages.length > 1;
  const named = (label: string, language: Language) => (several ? m.inLanguage(label, AUTONYMS[language]) : label);
  const words = (language: Language) => texts[language].questions[question.id] ?? NO_WORDS;
  const setChoice = (language: Language, choice: string, label: string) => onText(language, { choices: { ...words(language).choices, [choice]: label } });
  return (
    <fieldset className="card stack question-editor" data-question={question.id}>
      <legend className="field-label question-legend">{m.questionN(number)}</legend>
      {languages.map((language) => (
        <div key={language} className="stack question-words" lang={language}>
          <TextField
            label={named(m.label, language)}
            name={`${question.id}-label-${language}`}
            dir="auto"
            maxLength={300}
            value={words(language).label}
            onChange={(e) => onText(language, { label: e.target.value })}
            error={problems[`${question.id}.${language}.label`]}
          />
          <TextField
            label={named(m.help, language)}
            hint={m.helpHint}
            optional
            name={`${question.id}-help-${language}`}
            dir="auto"
            maxLength={1000}
            value={words(language).help}
            onChange={(e) => onText(language, { help: e.target.value })}
          />
        </div>
      ))}
      <SelectField label={m.kind} name={`${question.id}-kind`} disabled={locked} value={question.kind} onChange={(e) => onChange({ kind: e.target.value as QuestionKind })}>
        {QUESTION_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {m.kinds[kind]}
          </option>
        ))}
      </SelectField>
      <Choice
        type="checkbox"
        name={`${question.id}-required`}
        label={question.kind === "consent" ? m.requiredConsent : m.required}
        disabled={locked}
        checked={question.required}
        onChange={(e) => onChange({ required: e.target.checked })}
      />
      {hasChoices(question.kind) && (
        <fieldset className="field stack choices-editor" aria-describedby={problems[`${question.id}.choices`] ? `${question.id}-choices-error` : undefined}>
          <legend className="field-label">{m.choices}</legend>
          <ol className="choice-list">
            {question.choices.map((choice, i) => (
              <li key={choice} className="stack choice-row">
                {languages.map((language) => (
                  <TextField
                    key={language}
                    label={named(m.choiceN(i + 1), language)}
                    name={`${question.id}-${choice}-${language}`}
                    lang={language}
                    dir="auto"
                    maxLength={200}
                    value={words(language).choices[choice] ?? ""}
                    onChange={(e) => setChoice(language, choice, e.target.value)}
                    error={problems[`${question.id}.${choice}.${language}`]}
                  />
                ))}
                {!locked && question.choices.length > 1 && (
                  <div className="actions">
                    <Button variant="quiet" onClick={() => onChange({ choices: question.choices.filter((c) => c !== choice) })}>
                      {m.removeChoice(i + 1)}
                    </Button>
                  </div>
                )}
              </li>
            ))}
          </ol>
          {problems[`${question.id}.choices`] && (
            <p id={`${question.id}-choices-error`} className="field-error">
              {problems[`${question.id}.choices`]}
            </p>
          )}
          {!locked && (
            <div className="actions">
              <Button onClick={() => onChange({ choices: [...question.choices, freshId("c", question.choices)] })}>{m.addChoice}</Button>
            </div>
          )}
        </fieldset>
      )}
      {question.kind === "number" && (
        <div className="inline-fields">
          <TextField label={m.min} hint={m.boundsHint} optional name={`${question.id}-min`} type="number" step="any" dir="ltr" disabled={locked} value={question.min} onChange={(e) => onChange({ min: e.target.value })} error={problems[`${question.id}.min`]} />
          <TextField label={m.max} optional name={`${question.id}-max`} type="number" step="any" dir="ltr" disabled={locked} value={question.max} onChange={(e) => onChange({ max: e.target.value })} error={problems[`${question.id}.max`]} />
        </div>
      )}
      {!locked && (
        <div className="actions question-tools">
          <Button variant="quiet" aria-disabled={index === 0 || undefined} onClick={() => index > 0 && onMove(-1)} aria-label={m.moveUp(number)}>
            <span aria-hidden="true">↑</span>
          </Button>
          <Button variant="quiet" aria-disabled={index === count - 1 || undefined} onClick={() => index < count - 1 && onMove(1)} aria-label={m.moveDown(number)}>
            <span aria-hidden="true">↓</span>
          </Button>
          <Button variant="danger" onClick={onRemove}>
            {m.removeQuestion(number)}
          </Button>
        </div>
      )}
    </fieldset>
  );
}
