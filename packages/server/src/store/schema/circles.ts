export const circlesTable = "circles";
export interface CirclesTable {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  created_at: number;
}

export const circleMembersTable = "circle_members";
export interface CircleMembersTable {
  circle_id: string;
  account_id: string;
  added_at: number;
}
