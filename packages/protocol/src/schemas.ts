/**
 * Request bodies of the HTTP API, validated at the server's boundary and reused by clients to
 * check input before sending. Response shapes are plain interfaces in `types.ts`.
 */
import { z } from "zod";
import { LANGUAGES, MAX_INVITE_HOURS, MAX_INVITE_USES, PASSWORD_MAX, ROLES, SLUG_PATTERN } from "./constants.ts";
import { MLS_SUITES } from "./loops.ts";
import { USERNAME_MAX } from "./usernames.ts";

// Raw input is bounded generously; the real rules apply after normalization (usernames.ts).
const username = z.string().min(1).max(USERNAME_MAX * 8);
const password = z.string().min(1).max(PASSWORD_MAX);
export const email = z.email().max(254);
export const token = z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/);
export const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);
// NUL (PostgreSQL refuses it in text) and lone surrogates (not storable as UTF-8) in any text.
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// Direction marks and overrides, and invisible fillers: a name made of them can impersonate or vanish.
const SPOOFING = /[\p{Cc}\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u115F\u1160\u2800\u3164\uFEFF\uFFA0]/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** Multi-line free text (descriptions): anything storable. */
export const freeText = (max: number) => z.string().max(max).refine((s) => !UNSTORABLE.test(s), "NUL and unpaired surrogate characters are not allowed");

/** A name shown to others: one line, something visible, no direction tricks. */
export const displayText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !UNSTORABLE.test(s) && !SPOOFING.test(s), "control, invisible and direction-control characters are not allowed")
    .refine((s) => VISIBLE.test(s), "must contain a visible character");

export const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

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
  description: freeText(2000).optional(),
});
export type CreateOrganization = z.infer<typeof CreateOrganization>;

export const UpdateOrganization = z.strictObject({
  name: displayText(100).optional(),
  visibility: z.enum(["public", "private"]).optional(),
  languages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length).optional(),
  description: freeText(2000).optional(),
  /** The MLS cipher suite of the organization's new loops (admins only). */
  loopSuite: z.enum(MLS_SUITES).optional(),
});
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;

export const CreateInvite = z.strictObject({
  role: z.enum(ROLES),
  /** Hours until the link stops working (1 hour … 90 days). */
  expiresInHours: z.int().min(1).max(MAX_INVITE_HOURS),
  /** How many people may join with it; null for no limit until it expires. */
  maxUses: z.int().min(1).max(MAX_INVITE_USES).nullable(),
  /** Circles that people joining through this link enter at once. */
  circleIds: z.array(id).max(50).optional(),
});
export type CreateInvite = z.infer<typeof CreateInvite>;

export const ChangeRole = z.strictObject({ role: z.enum(ROLES) });
export type ChangeRole = z.infer<typeof ChangeRole>;

export const CreateCircle = z.strictObject({
  name: displayText(80),
  description: freeText(1000).optional(),
});
export type CreateCircle = z.infer<typeof CreateCircle>;

export const UpdateCircle = z.strictObject({
  name: displayText(80).optional(),
  description: freeText(1000).optional(),
});
export type UpdateCircle = z.infer<typeof UpdateCircle>;

export const ListQuery = z.strictObject({
  before: z.string().regex(/^\d{1,16}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
