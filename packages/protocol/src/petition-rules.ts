/**
 * The rules of petition signatures that every side shares, free of zod: the light public page
 * imports these (through `@commune/protocol/public`) without the validation library.
 */
import type { Language } from "./constants.ts";

/** Text fields a petition may ask for; the email address is always asked (double opt-in). */
export const PETITION_TEXT_FIELDS = ["name", "postalCode", "country", "comment"] as const;
export type PetitionTextField = (typeof PETITION_TEXT_FIELDS)[number];
export const FIELD_SETTINGS = ["off", "optional", "required"] as const;
export type FieldSetting = (typeof FIELD_SETTINGS)[number];

export const PETITION_GOAL_MAX = 100_000_000;
export const PETITION_BODY_MAX = 20_000;
export const RETENTION_DAYS_MAX = 3650;
/** Upper bound of a sealed signature (a comment of 2,000 characters in any script fits). */
export const SEALED_SIGNATURE_MAX = 16 * 1024;
/** How many of the latest consenting signers' names the public page shows. */
export const PUBLIC_NAMES_SHOWN = 12;

/** Which of the petition's fields a signer fills in, and the two consent offers. */
export interface PetitionFields {
  readonly name: FieldSetting;
  readonly postalCode: FieldSetting;
  readonly country: FieldSetting;
  readonly comment: FieldSetting;
  /** Offer "show my name publicly" (always optional: consent cannot be required). */
  readonly showPublicly: boolean;
  /** Offer "keep me informed". */
  readonly keepInformed: boolean;
}

/** What the signer's browser seals: everything the organization reads, nothing the server does. */
export interface SignaturePayload {
  readonly v: 1;
  readonly petitionId: string;
  readonly email: string;
  readonly name?: string;
  readonly postalCode?: string;
  readonly country?: string;
  readonly comment?: string;
  readonly showPublicly: boolean;
  readonly keepInformed: boolean;
  readonly language: Language;
  readonly signedAt: number;
}

/** Bounds of what a signer types, checked by the page and by `signaturePayloadProblems`. */
export const SIGNER_FIELD_MAX: Record<PetitionTextField, number> = { name: 100, postalCode: 20, country: 80, comment: 2000 };

/** HPKE `info` for a petition's signatures: a sealed signature cannot be replayed on another petition. */
export function petitionSealInfo(petitionId: string): Uint8Array {
  return new TextEncoder().encode(`commune-petition-signature-v1\n${petitionId}`);
}

/**
 * The fields a signature breaks: missing required ones, over-long ones, ones the petition does not
 * ask for. The page checks before sealing; the organizer's browser checks again after opening,
 * since the server cannot.
 */
export function signaturePayloadProblems(fields: PetitionFields, payload: Partial<Record<PetitionTextField, string>>): PetitionTextField[] {
  const problems: PetitionTextField[] = [];
  for (const field of PETITION_TEXT_FIELDS) {
    const value = payload[field]?.trim() ?? "";
    const rule = fields[field];
    if ((rule === "required" && value === "") || (rule === "off" && value !== "") || value.length > SIGNER_FIELD_MAX[field]) problems.push(field);
  }
  return problems;
}
