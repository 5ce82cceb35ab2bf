import type { Language, PetitionStatus } from "@commune/protocol";

export const petitionsTable = "petitions";
/** A petition: its public text and settings. Signatures are in `petition_signatures`. */
export interface PetitionsTable {
  id: string;
  organization_id: string;
  /** Its public address: `/p/<slug>`, unique on the instance. */
  slug: string;
  status: PetitionStatus;
  default_language: Language;
  /** JSON: language → { title, body, target }. */
  translations: string;
  goal: number;
  starts_at: number | null;
  ends_at: number | null;
  /** JSON: PetitionFields. */
  fields: string;
  retention_days: number | null;
  /** Confirmed signatures, kept with each confirmation, withdrawal and deletion. */
  signature_count: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  closed_at: number | null;
}
