/** A form as an organizer would build it, shared by the form tests. */
import type { CreateForm } from "@commune/protocol";

export const FORM: CreateForm = {
  slug: "tenant-survey",
  defaultLanguage: "en",
  translations: {
    en: {
      title: "Tenants’ survey 2025",
      intro: "Tell us about your flat.\nYour answers are encrypted for the union.",
      questions: {
        name: { label: "Your name" },
        story: { label: "What happened?", help: "As much or as little as you like." },
        building: { label: "Building", choices: { north: "North tower", south: "South tower", east: "East block" } },
        issues: { label: "Problems in your flat", choices: { heating: "Heating", mould: "Mould", rent: "Rent increase" } },
        rent: { label: "Monthly rent (€)" },
        "moved-in": { label: "Moved in on" },
        contact: { label: "Email to reach you" },
        consent: { label: "The union may contact me" },
      },
    },
    fr: {
      title: "Enquête des locataires 2025",
      intro: "Parlez-nous de votre logement.",
      questions: {
        name: { label: "Votre nom" },
        story: { label: "Que s’est-il passé ?" },
        building: { label: "Bâtiment", choices: { north: "Tour nord", south: "Tour sud", east: "Bloc est" } },
        issues: { label: "Problèmes dans votre logement", choices: { heating: "Chauffage", mould: "Moisissure", rent: "Hausse de loyer" } },
        rent: { label: "Loyer mensuel (€)" },
        "moved-in": { label: "Date d’emménagement" },
        contact: { label: "Email pour vous joindre" },
        consent: { label: "Le syndicat peut me contacter" },
      },
    },
  },
  questions: [
    { id: "name", kind: "shortText", required: true },
    { id: "story", kind: "longText", required: false },
    { id: "building", kind: "singleChoice", required: true, choices: ["north", "south", "east"] },
    { id: "issues", kind: "multipleChoice", required: false, choices: ["heating", "mould", "rent"] },
    { id: "rent", kind: "number", required: false, min: 0, max: 10000 },
    { id: "moved-in", kind: "date", required: false },
    { id: "contact", kind: "email", required: false },
    { id: "consent", kind: "consent", required: true },
  ],
  responseLimit: null,
  closesAt: null,
  confirmEmail: false,
  onePerAddress: false,
  retentionDays: null,
};
