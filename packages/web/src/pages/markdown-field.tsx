/**
 * A Markdown text written by an organizer (a petition's text, a form's introduction), with a
 * button that shows it as the public will see it, rendered inert.
 */
import type { Language } from "@commune/protocol";
import { useId, useState } from "react";
import { Markdown } from "../markdown/markdown.tsx";
import { Button } from "../ui/button.tsx";
import { TextArea } from "../ui/fields.tsx";

export function MarkdownField({
  label,
  hint,
  name,
  language,
  rows,
  maxLength,
  value,
  error,
  previewLabel,
  previewEmpty,
  onChange,
}: {
  label: string;
  hint: string;
  name: string;
  language: Language;
  rows: number;
  maxLength: number;
  value: string;
  error?: string | undefined;
  previewLabel: string;
  previewEmpty: string;
  onChange: (value: string) => void;
}) {
  const [previewing, setPreviewing] = useState(false);
  const previewId = useId();
  return (
    <>
      <TextArea label={label} hint={hint} name={name} lang={language} dir="auto" rows={rows} maxLength={maxLength} value={value} onChange={(e) => onChange(e.target.value)} error={error} />
      <div className="actions">
        <Button variant="quiet" aria-expanded={previewing} aria-controls={previewId} onClick={() => setPreviewing((p) => !p)}>
          {previewLabel}
        </Button>
      </div>
      <div id={previewId} hidden={!previewing} className="petition-preview" lang={language}>
        {previewing && (value.trim() === "" ? <p className="muted">{previewEmpty}</p> : <Markdown source={value} lang={language} className="petition-body" />)}
      </div>
    </>
  );
}
