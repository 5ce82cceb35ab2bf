/**
 * The recovery key, shown once: after an organization is created, and when an admin makes a new
 * one. The person copies or downloads it and confirms they stored it before moving on; nothing
 * keeps it after this panel closes.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useI18n } from "../../i18n/index.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { Choice } from "../../ui/fields.tsx";

export function RecoveryKeyPanel({ orgName, slug, recoveryKey, onDone }: { orgName: string; slug: string; recoveryKey: string; onDone: () => void }) {
  const { t } = useI18n();
  const m = t.orgKey;
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const fieldId = useId();
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), [recoveryKey]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      announce(m.copied);
    } catch {
      field.current?.focus();
      field.current?.select();
      announce(m.copyFailed);
    }
  };
  const download = () => {
    const blob = new Blob([m.downloadText(orgName, location.origin, recoveryKey)], { type: "text/plain;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = m.downloadName(slug);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!stored) {
      setError(m.storedRequired);
      form.current?.querySelector<HTMLInputElement>('input[name="stored"]')?.focus();
      return;
    }
    onDone();
  };

  return (
    <section className="card created-link stack recovery-key" aria-labelledby={`${fieldId}-title`}>
      <h2 id={`${fieldId}-title`} ref={heading} tabIndex={-1}>
        {m.recoveryTitle}
      </h2>
      <p>{m.recoveryIntro}</p>
      <p>
        <strong>{m.recoveryOnce}</strong>
      </p>
      <ul className="bullets">
        {m.recoveryWhere.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor={fieldId} className="field-label">
          {m.recoveryLabel}
        </label>
        <textarea
          id={fieldId}
          ref={field}
          className="input recovery-key-text"
          readOnly
          dir="ltr"
          rows={4}
          spellCheck={false}
          value={recoveryKey.replaceAll("-", " ")}
          onFocus={(e) => e.target.select()}
        />
      </div>
      <div className="actions">
        <Button onClick={() => void copy()}>{m.copy}</Button>
        <Button onClick={download}>{m.download}</Button>
      </div>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <Choice
            type="checkbox"
            name="stored"
            label={m.stored}
            checked={stored}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${fieldId}-error` : undefined}
            onChange={(e) => {
              setStored(e.target.checked);
              if (e.target.checked) setError(null);
            }}
          />
          {error && (
            <p id={`${fieldId}-error`} className="field-error">
              {error}
            </p>
          )}
        </div>
        <div className="actions">
          <Button type="submit" variant="primary">
            {m.continue}
          </Button>
        </div>
      </form>
    </section>
  );
}
