/**
 * The language of the public pages. Not the account app's provider: that one bundles all four of
 * the app's catalogs (about 28 kB compressed) for pages that need none of them. Here English comes
 * with the page and each other language's petition messages load on demand, a few kB each.
 */
import type { Language } from "@commune/protocol";
import { LANGUAGES } from "@commune/protocol/public";
import { createContext, use, useCallback, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from "react";
import { petitionsEn, type PetitionMessages } from "../i18n/petitions/en.ts";

export type PublicMessages = PetitionMessages["pub"];

const LOADERS: Record<Language, () => Promise<PetitionMessages>> = {
  en: async () => petitionsEn,
  fr: async () => (await import("../i18n/petitions/fr.ts")).petitionsFr,
  ja: async () => (await import("../i18n/petitions/ja.ts")).petitionsJa,
  ar: async () => (await import("../i18n/petitions/ar.ts")).petitionsAr,
};

/** Each language named in itself. (The account app's AUTONYMS lives beside its catalogs.) */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", fr: "Français", ja: "日本語", ar: "العربية" };
const RTL: ReadonlySet<Language> = new Set(["ar"]);
const STORAGE_KEY = "commune.language"; // shared with the account app: one choice per browser

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The languages this person asked for, best first: `?lang=`, their choice in this browser, the browser's. */
export function preferredLanguages(): Language[] {
  const wanted: string[] = [];
  wanted.push(new URLSearchParams(location.search).get("lang") ?? "");
  try {
    wanted.push(localStorage.getItem(STORAGE_KEY) ?? "");
  } catch {
    // storage disabled: the browser's languages decide
  }
  for (const tag of navigator.languages ?? [navigator.language]) wanted.push(tag.toLowerCase().split("-")[0] ?? "");
  return [...new Set(wanted.filter(isLanguage))];
}

export interface PublicFormat {
  number(n: number): string;
  date(ms: number): string;
  dateTime(ms: number): string;
}

export interface PublicI18n {
  readonly language: Language;
  readonly dir: "ltr" | "rtl";
  readonly t: PublicMessages;
  readonly format: PublicFormat;
  /** Switches the language once its messages are loaded; `remember` keeps the choice in this browser. */
  setLanguage(language: Language, options?: { remember?: boolean }): Promise<void>;
}

const Context = createContext<PublicI18n | null>(null);

export function PublicI18nProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ language: Language; messages: PetitionMessages | null }>(() => {
    const language = preferredLanguages()[0] ?? "en";
    return { language, messages: language === "en" ? petitionsEn : null };
  });
  const setLanguage = useCallback(async (language: Language, options: { remember?: boolean } = {}) => {
    if (options.remember) {
      try {
        localStorage.setItem(STORAGE_KEY, language);
      } catch {
        // storage disabled: the choice lasts for this page
      }
    }
    let messages = petitionsEn;
    try {
      messages = await LOADERS[language]();
    } catch {
      language = "en"; // the chunk did not load (offline): English rather than nothing
    }
    setState({ language, messages });
  }, []);

  // a first language other than English loads before anything is shown
  const first = state.messages === null ? state.language : null;
  useEffect(() => {
    if (first) void setLanguage(first);
  }, [first, setLanguage]);

  const value = useMemo<PublicI18n | null>(() => {
    if (!state.messages) return null;
    const { language } = state;
    const number = new Intl.NumberFormat(language);
    const date = new Intl.DateTimeFormat(language, { dateStyle: "long" });
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short" });
    return {
      language,
      dir: RTL.has(language) ? "rtl" : "ltr",
      t: state.messages.pub,
      format: { number: (n) => number.format(n), date: (ms) => date.format(ms), dateTime: (ms) => dateTime.format(ms) },
      setLanguage,
    };
  }, [state, setLanguage]);

  useLayoutEffect(() => {
    if (!value) return;
    document.documentElement.lang = value.language;
    document.documentElement.dir = value.dir;
  }, [value]);

  if (!value) return null;
  return <Context value={value}>{children}</Context>;
}

export function usePublicI18n(): PublicI18n {
  const value = use(Context);
  if (!value) throw new Error("usePublicI18n outside PublicI18nProvider");
  return value;
}
