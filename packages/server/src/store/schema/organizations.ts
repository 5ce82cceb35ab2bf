export const organizationsTable = "organizations";
export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: "public" | "private";
  /** JSON array of language codes. */
  languages: string;
  /** The MLS cipher suite of the organization's new loops (migration 005); optional on insert: the column has a default. */
  loop_suite?: string;
  created_at: number;
}
