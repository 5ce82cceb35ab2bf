export const organizationsTable = "organizations";
export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: "public" | "private";
  /** JSON array of language codes. */
  languages: string;
  created_at: number;
}
