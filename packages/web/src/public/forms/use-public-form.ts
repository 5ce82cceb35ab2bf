/**
 * Loads a form for a public page and keeps the page in one of its languages: the first of the
 * person's languages the form is written in, else the form's default language.
 */
import { publicForm } from "@commune/client/public";
import type { Language, PublicForm } from "@commune/protocol";
import { useEffect } from "react";
import { useResource } from "../../ui/use-async.ts";
import { api } from "../api.ts";
import { preferredLanguages, usePublicI18n } from "../i18n.tsx";

export function usePublicForm(slug: string) {
  const loaded = useResource(() => publicForm(api, slug), [slug]);
  const { language, setLanguage } = usePublicI18n();
  const form = loaded.resource.status === "ready" ? loaded.resource.data : null;
  useEffect(() => {
    if (!form || form.translations[language]) return;
    void setLanguage(preferredLanguages().find((l) => form.translations[l]) ?? form.defaultLanguage);
    // only when a form arrives: a switch by the person is always among its languages
  }, [form?.id]);
  return loaded;
}

/** The form's languages, in the order the protocol lists them. */
export function formLanguages(form: PublicForm): Language[] {
  return (Object.keys(form.translations) as Language[]).filter((l) => form.translations[l]);
}

/** The public address of a form. */
export const formPath = (slug: string) => `/f/${encodeURIComponent(slug)}`;
