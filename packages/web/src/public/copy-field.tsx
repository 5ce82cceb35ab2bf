import { useId, useRef } from "react";
import { announce } from "../ui/announcer.tsx";
import { Button } from "../ui/button.tsx";

/**
 * A read-only text to copy (a link, an embed code) with its copy button. When the clipboard is
 * refused (an insecure origin, a denied permission) the text is selected so it can be copied by hand.
 * Labels come from the caller, so both the public pages and the account app use it.
 */
export function CopyField({
  label,
  hint,
  value,
  multiline = false,
  labels,
}: {
  label: string;
  hint?: string;
  value: string;
  multiline?: boolean;
  labels: { copy: string; copied: string; copyFailed: string };
}) {
  const id = useId();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      announce(labels.copied);
    } catch {
      field.current?.focus();
      field.current?.select();
      announce(labels.copyFailed);
    }
  };
  const common = {
    id,
    ref: field,
    className: "input copy-input",
    readOnly: true,
    dir: "ltr" as const,
    value,
    "aria-describedby": hint ? `${id}-hint` : undefined,
    onFocus: (event: { target: HTMLInputElement | HTMLTextAreaElement }) => event.target.select(),
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className="copy-row">
        {multiline ? <textarea rows={4} {...common} /> : <input {...common} />}
        <Button variant="secondary" onClick={() => void copy()}>
          {labels.copy}
        </Button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
