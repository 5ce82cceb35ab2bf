/**
 * The first fields of anything published to the public (a petition, a form): its address, the
 * languages it is written in, and which of them is the default.
 */
import type { Language } from "@commune/protocol";
import { AUTONYMS } from "../i18n/index.tsx";
import { SelectField, TextField } from "../ui/fields.tsx";
import { LanguageChoices } from "./language-choices.tsx";

export interface AddressAndLanguagesWords {
  readonly address: string;
  readonly languages: string;
  readonly languagesHint: string;
  readonly defaultLanguage: string;
  readonly defaultLanguageHint: string;
}

export interface AddressAndLanguagesValue {
  readonly slug: string;
  readonly languages: Language[];
  readonly defaultLanguage: Language;
}

export function AddressAndLanguages({
  words,
  name,
  addressHint,
  locked,
  value,
  problems,
  onChange,
}: {
  words: AddressAndLanguagesWords;
  /** The address field's name, e.g. `form-slug`. */
  name: string;
  addressHint: string;
  /** Published: the address no longer changes. */
  locked: boolean;
  value: AddressAndLanguagesValue;
  problems: { readonly slug?: string | undefined; readonly languages?: string | undefined };
  onChange: (patch: Partial<AddressAndLanguagesValue>) => void;
}) {
  return (
    <>
      <TextField
        label={words.address}
        name={name}
        dir="ltr"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={48}
        hint={addressHint}
        readOnly={locked}
        value={value.slug}
        onChange={(e) => onChange({ slug: e.target.value.toLowerCase() })}
        error={problems.slug}
      />
      <LanguageChoices legend={words.languages} hint={words.languagesHint} error={problems.languages} value={value.languages} onChange={(languages) => onChange({ languages })} />
      {value.languages.length > 1 && (
        <SelectField label={words.defaultLanguage} hint={words.defaultLanguageHint} name="default-language" value={value.defaultLanguage} onChange={(e) => onChange({ defaultLanguage: e.target.value as Language })}>
          {value.languages.map((l) => (
            <option key={l} value={l} lang={l}>
              {AUTONYMS[l]}
            </option>
          ))}
        </SelectField>
      )}
    </>
  );
}
