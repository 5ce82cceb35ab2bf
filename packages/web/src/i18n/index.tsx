/**
 * The language of the page: chosen from the person's explicit choice (kept in localStorage), else
 * their account's language, else the browser's languages; applied to <html lang dir>.
 */
import { LANGUAGES, type Language } from "@commune/protocol";
import { createContext, use, useCallback, useLayoutEffect, useMemo, useState, type ReactNode } from "react";
import { ar } from "./ar.ts";
import { en, type Messages } from "./en.ts";
import { fr } from "./fr.ts";
import { ja } from "./ja.ts";

export type { Messages } from "./en.ts";

const CATALOGS: Record<Language, Messages> = { en, fr, ja, ar };
const RTL: ReadonlySet<Language> = new Set(["ar"]);
const STORAGE_KEY = "commune.language";

/** Each language named in itself, for the switcher and the organization's language choices. */
export const AUTONYMS: Record<Language, string> = { en: "English", fr: "Français", ja: "日本語", ar: "العربية" };

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null; // storage disabled: fall back to the browser's languages
  }
}

function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

export interface Formatters {
  /** "12 March 2025, 14:05" in the page language. */
  dateTime(ms: number): string;
  date(ms: number): string;
  /** "in 3 days", "5 minutes ago". */
  relative(ms: number, now?: number): string;
  number(n: number): string;
  list(items: readonly string[]): string;
}

function formatters(language: Language, t: Messages): Formatters {
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
  const date = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
  const relative = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const number = new Intl.NumberFormat(language);
  const list = new Intl.ListFormat(language, { style: "long", type: "conjunction" });
  const units: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
    ["year", 365 * 86_400_000],
    ["month", 30 * 86_400_000],
    ["week", 7 * 86_400_000],
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  return {
    dateTime: (ms) => dateTime.format(ms),
    date: (ms) => date.format(ms),
    relative(ms, now = Date.now()) {
      const diff = ms - now;
      for (const [unit, size] of units) {
        if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
      }
      return t.time.justNow;
    },
    number: (n) => number.format(n),
    list: (items) => list.format(items),
  };
}

export interface I18n {
  readonly language: Language;
  readonly dir: "ltr" | "rtl";
  readonly t: Messages;
  readonly format: Formatters;
  /** Switches the page language; `remember` keeps the choice in this browser. */
  setLanguage(language: Language, options?: { remember?: boolean }): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => storedLanguage() ?? browserLanguage());
  const setLanguage = useCallback((next: Language, options: { remember?: boolean } = {}) => {
    if (options.remember) {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // storage disabled: the choice lasts for this page only
      }
    }
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const t = CATALOGS[language];
    return { language, dir: RTL.has(language) ? "rtl" : "ltr", t, format: formatters(language, t), setLanguage };
  }, [language, setLanguage]);

  useLayoutEffect(() => {
    document.documentElement.lang = value.language;
    document.documentElement.dir = value.dir;
  }, [value.language, value.dir]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const value = use(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
