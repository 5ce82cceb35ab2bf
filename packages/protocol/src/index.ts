export { ERROR_STATUS, PROBLEM_CONTENT_TYPE, isErrorCode, problemType } from "./errors.ts";
export type { ErrorCode, FieldIssue, Problem } from "./errors.ts";
export { USERNAME_MAX, USERNAME_MIN, normalizeUsername, usernameProblem } from "./usernames.ts";
export type { UsernameProblem } from "./usernames.ts";
export {
  ChangePassword,
  ChangeRole,
  CreateCircle,
  CreateInvite,
  CreateOrganization,
  DeleteAccount,
  DeviceRegistration,
  LANGUAGES,
  ListQuery,
  MAX_INVITE_HOURS,
  MAX_INVITE_USES,
  PASSWORD_MAX,
  PASSWORD_MIN,
  ROLES,
  SLUG_PATTERN,
  SignIn,
  SignUp,
  UpdateAccount,
  UpdateCircle,
  UpdateOrganization,
  deviceProofMessage,
  slug,
} from "./schemas.ts";
export type { Language, Role } from "./schemas.ts";
export type * from "./types.ts";
