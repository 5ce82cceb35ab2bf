/**
 * Request bodies of the HTTP API, validated at the server's boundary and reused by clients to
 * check input before sending. Response shapes are plain interfaces in `types.ts`.
 */
import { z } from "zod";
import { LANGUAGES, MAX_INVITE_HOURS, MAX_INVITE_USES, PASSWORD_MAX, ROLES, SLUG_PATTERN } from "./constants.ts";
import { USERNAME_MAX } from "./usernames.ts";

// Raw input is bounded generously; the real rules apply after normalization (usernames.ts).
const username = z.string().min(1).max(USERNAME_MAX * 8);
const password = z.string().min(1).max(PASSWORD_MAX);
const email = z.email().max(254);
const token = z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/);
const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);
const displayText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), "control characters are not allowed");

export const DeviceRegistration = z.strictObject({
  name: displayText(64),
  /** Raw Ed25519 public key, base64url (32 bytes). */
  publicKey: base64url.length(43),
  /** Signature over `deviceProofMessage(accountId, publicKey)`, base64url (64 bytes). */
  proof: base64url.length(86),
});
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;

export const SignUp = z.strictObject({
  username,
  password,
  email: email.optional(),
  /** An organization invite token or an instance-administrator invite token. */
  invite: token,
});
export type SignUp = z.infer<typeof SignUp>;

export const SignIn = z.strictObject({ username, password });
export type SignIn = z.infer<typeof SignIn>;

export const ChangePassword = z.strictObject({ currentPassword: password, newPassword: password });
export type ChangePassword = z.infer<typeof ChangePassword>;

export const DeleteAccount = z.strictObject({ password });
export type DeleteAccount = z.infer<typeof DeleteAccount>;

export const UpdateAccount = z.strictObject({
  email: email.nullable().optional(),
  language: z.enum(LANGUAGES).optional(),
});
export type UpdateAccount = z.infer<typeof UpdateAccount>;

export const slug = z.string().regex(SLUG_PATTERN, "lowercase letters, digits and inner hyphens, 1–48");

export const CreateOrganization = z.strictObject({
  name: displayText(100),
  slug: slug.optional(),
  visibility: z.enum(["public", "private"]),
  languages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length),
  description: z.string().max(2000).optional(),
});
export type CreateOrganization = z.infer<typeof CreateOrganization>;

export const UpdateOrganization = z.strictObject({
  name: displayText(100).optional(),
  visibility: z.enum(["public", "private"]).optional(),
  languages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length).optional(),
  description: z.string().max(2000).optional(),
});
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;

export const CreateInvite = z.strictObject({
  role: z.enum(ROLES),
  /** Hours until the link stops working (1 hour … 90 days). */
  expiresInHours: z.int().min(1).max(MAX_INVITE_HOURS),
  /** How many people may join with it; null for no limit until it expires. */
  maxUses: z.int().min(1).max(MAX_INVITE_USES).nullable(),
  /** Circles that people joining through this link enter at once. */
  circleIds: z.array(z.string().max(64)).max(50).optional(),
});
export type CreateInvite = z.infer<typeof CreateInvite>;

export const ChangeRole = z.strictObject({ role: z.enum(ROLES) });
export type ChangeRole = z.infer<typeof ChangeRole>;

export const CreateCircle = z.strictObject({
  name: displayText(80),
  description: z.string().max(1000).optional(),
});
export type CreateCircle = z.infer<typeof CreateCircle>;

export const UpdateCircle = z.strictObject({
  name: displayText(80).optional(),
  description: z.string().max(1000).optional(),
});
export type UpdateCircle = z.infer<typeof UpdateCircle>;

export const ListQuery = z.strictObject({
  before: z.string().regex(/^\d{1,16}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
