/**
 * Loads a petition for a public page and keeps the page in one of its languages: the first of the
 * person's languages the petition is written in, else the petition's default language.
 */
import { publicPetition } from "@commune/client/public";
import type { Language, PetitionText, PublicPetition } from "@commune/protocol";
import { useEffect } from "react";
import { useResource } from "../ui/use-async.ts";
import { api } from "./api.ts";
import { preferredLanguages, usePublicI18n } from "./i18n.tsx";

export function usePetition(slug: string) {
  const loaded = useResource(() => publicPetition(api, slug), [slug]);
  const { language, setLanguage } = usePublicI18n();
  const petition = loaded.resource.status === "ready" ? loaded.resource.data : null;
  useEffect(() => {
    if (!petition || petition.translations[language]) return;
    void setLanguage(languageFor(petition));
    // only when a petition arrives: a switch by the person is always among its languages
  }, [petition?.id]);
  return loaded;
}

export function languageFor(petition: PublicPetition): Language {
  return preferredLanguages().find((l) => petition.translations[l]) ?? petition.defaultLanguage;
}

/** The petition's languages, in the order the protocol lists them. */
export function petitionLanguages(petition: PublicPetition): Language[] {
  return (Object.keys(petition.translations) as Language[]).filter((l) => petition.translations[l]);
}

/** The text in this language, or in the default one. */
export function textIn(petition: PublicPetition, language: Language): { language: Language; text: PetitionText } {
  const own = petition.translations[language];
  if (own) return { language, text: own };
  return { language: petition.defaultLanguage, text: petition.translations[petition.defaultLanguage] as PetitionText };
}
