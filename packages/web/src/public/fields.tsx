/**
 * The signing form's controls. Unlike the account app's fields, which mark optional ones, a
 * public form marks the required ones (with a visible * and the word for screen readers), the
 * convention strangers expect. Hints and errors are tied to the control with aria-describedby.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";
import { usePublicI18n } from "./i18n.tsx";

interface Frame {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string | null;
  readonly required?: boolean;
}

function useFrame({ hint, error }: Frame) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, hintId, errorId, describedBy: [errorId, hintId].filter(Boolean).join(" ") || undefined };
}

function Parts({ frame, ids, children }: { frame: Frame; ids: ReturnType<typeof useFrame>; children: ReactNode }) {
  const { t } = usePublicI18n();
  return (
    <div className="field">
      <label htmlFor={ids.id} className="field-label">
        {frame.label}
        {frame.required && (
          <>
            <span className="required-mark" aria-hidden="true">
              {" "}
              *
            </span>
            <span className="visually-hidden"> ({t.requiredMark})</span>
          </>
        )}
      </label>
      {children}
      {frame.hint && (
        <p id={ids.hintId} className="field-hint">
          {frame.hint}
        </p>
      )}
      {frame.error && (
        <p id={ids.errorId} className="field-error">
          {frame.error}
        </p>
      )}
    </div>
  );
}

export function PublicTextField({ label, hint, error, required, ...input }: Frame & InputHTMLAttributes<HTMLInputElement>) {
  const frame = { label, hint, error, required };
  const ids = useFrame(frame);
  return (
    <Parts frame={frame} ids={ids}>
      <input id={ids.id} className="input" aria-required={required || undefined} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
    </Parts>
  );
}

export function PublicTextArea({ label, hint, error, required, ...input }: Frame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const frame = { label, hint, error, required };
  const ids = useFrame(frame);
  return (
    <Parts frame={frame} ids={ids}>
      <textarea id={ids.id} className="input" rows={4} aria-required={required || undefined} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
    </Parts>
  );
}

export function PublicCheckbox({ label, hint, error, ...input }: { label: string; hint?: string; error?: string | null } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="choice">
      <input id={id} type="checkbox" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      <div className="choice-text">
        <label htmlFor={id}>{label}</label>
        {hint && (
          <span id={`${id}-hint`} className="choice-hint">
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
  );
}
