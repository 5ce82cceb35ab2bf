/**
 * Labelled form controls. Hints and errors are tied to their control with aria-describedby, and an
 * invalid control says so with aria-invalid.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { useI18n } from "../i18n/index.tsx";

interface FieldFrame {
  readonly label: ReactNode;
  /** Keeps the label for assistive technology only, when a visible legend already says it. */
  readonly labelHidden?: boolean;
  readonly hint?: ReactNode;
  readonly error?: string | null;
  readonly optional?: boolean;
}

function useDescribed(hint: ReactNode, error: string | null | undefined) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, describedBy };
}

function Label({ htmlFor, label, optional, hidden }: { htmlFor: string; label: ReactNode; optional?: boolean; hidden?: boolean }) {
  const { t } = useI18n();
  return (
    <label htmlFor={htmlFor} className={hidden ? "visually-hidden" : "field-label"}>
      {label}
      {optional && <span className="field-optional"> ({t.common.optional})</span>}
    </label>
  );
}

function Below({ hintId, hint, errorId, error }: { hintId?: string; hint?: ReactNode; errorId?: string; error?: string | null }) {
  return (
    <>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

export function TextField({ label, labelHidden, hint, error, optional, className, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const { id, hintId, errorId, describedBy } = useDescribed(hint, error);
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <Label htmlFor={id} label={label} optional={optional} hidden={labelHidden} />
      <input id={id} className="input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      <Below hintId={hintId} hint={hint} errorId={errorId} error={error} />
    </div>
  );
}

export function TextArea({ label, labelHidden, hint, error, optional, ...input }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(hint, error);
  return (
    <div className="field">
      <Label htmlFor={id} label={label} optional={optional} hidden={labelHidden} />
      <textarea id={id} className="input" rows={3} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      <Below hintId={hintId} hint={hint} errorId={errorId} error={error} />
    </div>
  );
}

export function SelectField({ label, labelHidden, hint, error, optional, children, ...select }: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(hint, error);
  return (
    <div className="field">
      <Label htmlFor={id} label={label} optional={optional} hidden={labelHidden} />
      <select id={id} className="input select" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {children}
      </select>
      <Below hintId={hintId} hint={hint} errorId={errorId} error={error} />
    </div>
  );
}

/** A group of radio buttons or checkboxes: a fieldset whose legend names the question. */
export function ChoiceGroup({ legend, hint, error, children }: { legend: ReactNode; hint?: ReactNode; error?: string | null; children: ReactNode }) {
  const { hintId, errorId, describedBy } = useDescribed(hint, error);
  return (
    <fieldset className="field choice-group" aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
      <legend className="field-label">{legend}</legend>
      <Below hintId={hintId} hint={hint} errorId={errorId} error={error} />
      <div className="choices">{children}</div>
    </fieldset>
  );
}

export function Choice({ label, hint, ...input }: { label: ReactNode; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="choice">
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <div className="choice-text">
        <label htmlFor={id}>{label}</label>
        {hint && (
          <span id={`${id}-hint`} className="choice-hint">
            {hint}
          </span>
        )}
      </div>
    </div>
  );
}

/** Moves focus to the first control marked invalid inside a form, after its errors are rendered. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (target instanceof HTMLFieldSetElement) target.querySelector<HTMLElement>("input")?.focus();
    else target?.focus();
  });
}
