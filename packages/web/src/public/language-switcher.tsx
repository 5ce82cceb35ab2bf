import type { Language } from "@commune/protocol";
import { useId } from "react";
import { announce } from "../ui/announcer.tsx";
import { LANGUAGE_NAMES, usePublicI18n } from "./i18n.tsx";

/** Chooses among the languages the petition is written in; hidden when there is only one. */
export function LanguageSwitcher({ languages }: { languages: readonly Language[] }) {
  const { t, language, setLanguage } = usePublicI18n();
  const id = useId();
  if (languages.length < 2) return null;
  return (
    <div className="language-switcher">
      <label htmlFor={id}>
        <svg className="globe" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" />
          <path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z" />
        </svg>
        <span className="visually-hidden">{t.language}</span>
      </label>
      <select
        id={id}
        className="input select compact"
        value={language}
        onChange={(event) => {
          const next = event.target.value as Language;
          void setLanguage(next, { remember: true }).then(() => announce(LANGUAGE_NAMES[next]));
        }}
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
