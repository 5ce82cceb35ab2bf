import type { FormStatus, Language } from "@commune/protocol";

export const formsTable = "forms";
/** A form: its questions, words and limits. Responses are in `form_responses`. */
export interface FormsTable {
  id: string;
  organization_id: string;
  /** Its public address: `/f/<slug>`, unique on the instance. */
  slug: string;
  status: FormStatus;
  default_language: Language;
  /** JSON: language → FormText. */
  translations: string;
  /** JSON: FormQuestion[]. */
  questions: string;
  response_limit: number | null;
  closes_at: number | null;
  /** 1 when respondents give an address and confirm by a mailed link. */
  confirm_email: number;
  /** 1 when each address answers once (keyed index in `form_responses.dedup`). */
  one_per_address: number;
  retention_days: number | null;
  /** Responses kept, confirmed or not: what the response limit counts. */
  response_count: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  closed_at: number | null;
}
