/** A petition as an organizer would write it, shared by the petition tests and benchmarks. */
import type { CreatePetition } from "@commune/protocol";

export const PETITION: CreatePetition = {
  slug: "clean-air-now",
  defaultLanguage: "en",
  translations: {
    en: { title: "Clean air around our schools", body: "We ask the **council** to close the street at school times.", target: "The city council" },
    fr: { title: "De l’air pur autour des écoles", body: "Nous demandons au **conseil** de fermer la rue.", target: "Le conseil municipal" },
  },
  goal: 1000,
  startsAt: null,
  endsAt: null,
  fields: { name: "required", postalCode: "optional", country: "off", comment: "optional", showPublicly: true, keepInformed: true },
  retentionDays: 30,
};
