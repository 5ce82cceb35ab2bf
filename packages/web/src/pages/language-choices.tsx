import { LANGUAGES, type Language } from "@commune/protocol";
import { AUTONYMS } from "../i18n/index.tsx";
import { Choice, ChoiceGroup } from "../ui/fields.tsx";

/** Checkboxes for the languages an organization works in; each named in itself, tagged for screen readers. */
export function LanguageChoices({
  legend,
  hint,
  error,
  value,
  onChange,
}: {
  legend: string;
  hint?: string;
  error?: string | null;
  value: readonly Language[];
  onChange: (next: Language[]) => void;
}) {
  return (
    <ChoiceGroup legend={legend} hint={hint} error={error}>
      {LANGUAGES.map((language) => (
        <Choice
          key={language}
          type="checkbox"
          name="languages"
          value={language}
          label={<span lang={language}>{AUTONYMS[language]}</span>}
          checked={value.includes(language)}
          onChange={(e) => onChange(e.target.checked ? LANGUAGES.filter((l) => l === language || value.includes(l)) : value.filter((l) => l !== language))}
        />
      ))}
    </ChoiceGroup>
  );
}
