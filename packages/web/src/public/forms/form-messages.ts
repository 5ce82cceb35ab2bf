/**
 * The forms messages of the public pages, in the page's language. English comes with the page;
 * the other languages load on demand (a few kB each), like the petition messages of i18n.tsx.
 */
import type { Language } from "@commune/protocol";
import { useEffect, useState } from "react";
import { formsEn, type FormMessages } from "../../i18n/forms/en.ts";
import { usePublicI18n } from "../i18n.tsx";

export type PublicFormMessages = FormMessages["pub"];

const LOADERS: Record<Language, () => Promise<FormMessages>> = {
  en: async () => formsEn,
  fr: async () => (await import("../../i18n/forms/fr.ts")).formsFr,
  ja: async () => (await import("../../i18n/forms/ja.ts")).formsJa,
  ar: async () => (await import("../../i18n/forms/ar.ts")).formsAr,
};
const loaded: Partial<Record<Language, FormMessages>> = { en: formsEn };

/** The messages in the page's language; null while they load (English if they cannot). */
export function useFormMessages(): PublicFormMessages | null {
  const { language } = usePublicI18n();
  const [, setVersion] = useState(0);
  const ready = loaded[language];
  useEffect(() => {
    if (ready) return;
    LOADERS[language]()
      .catch(() => formsEn) // offline: English rather than nothing
      .then((messages) => {
        loaded[language] = messages;
        setVersion((v) => v + 1);
      });
  }, [language, ready]);
  return ready?.pub ?? null;
}
