import type { Role } from "@commune/protocol";
export const membershipsTable = "memberships";
export interface MembershipsTable {
  organization_id: string;
  account_id: string;
  role: Role;
  joined_at: number;
}
