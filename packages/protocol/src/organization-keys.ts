/**
 * The organization key (HPKE, RFC 9180): request schemas and response types. The server keeps the
 * public keys, and the private keys only sealed — to admin devices' X25519 keys and to the
 * recovery key — so every `sealed` field here is opaque to it.
 */
import { z } from "zod";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A raw 32-byte X25519 public key, base64url without padding. */
const x25519Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** A 32-byte private key sealed with HPKE (32-byte enc, 32 bytes, 16-byte tag): 80 bytes, base64url. */
const sealedKey = z.string().regex(/^[A-Za-z0-9_-]{107}$/);
/** An Ed25519 signature, base64url (64 bytes). */
const signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/);

/** Most grants one request may carry (admins × their devices × keys, with room to spare). */
export const MAX_GRANTS_PER_REQUEST = 500;
/** Most keys an organization may have had (each rotation adds one). */
export const MAX_ORGANIZATION_KEYS = 200;

/** The message a device signs (Ed25519) to publish its sealing public key. */
export function sealKeyProofMessage(accountId: string, deviceId: string, sealPublicKey: string): string {
  return `commune-seal-key-v1\n${accountId}\n${deviceId}\n${sealPublicKey}`;
}

/** PUT /devices/current/seal-key: this device's X25519 public key, signed by its Ed25519 key. */
export const PublishSealKey = z.strictObject({
  publicKey: x25519Key,
  /** Signature over `sealKeyProofMessage(accountId, deviceId, publicKey)`. */
  signature,
});
export type PublishSealKey = z.infer<typeof PublishSealKey>;

const Grant = z.strictObject({ keyId: id, deviceId: id, sealed: sealedKey });
const RecoveryCopy = z.strictObject({ keyId: id, sealed: sealedKey });

/**
 * POST /orgs/:slug/keys: the first key, or a rotation. The client chooses the id (it is part of
 * what the grants are sealed with), seals the private key to its own device (and may to others),
 * and to the recovery key.
 */
export const CreateOrganizationKey = z.strictObject({
  id,
  publicKey: x25519Key,
  /** The current key's id this replaces; null for the first key. A stale value is a conflict. */
  replaces: id.nullable(),
  grants: z.array(Grant).min(1).max(MAX_GRANTS_PER_REQUEST),
  /**
   * The new private key sealed to the recovery key. The first key names the recovery public key;
   * a rotation seals to the one the server keeps and leaves `recoveryPublicKey` out.
   */
  recovery: z.strictObject({ recoveryPublicKey: x25519Key.optional(), sealed: sealedKey }),
});
export type CreateOrganizationKey = z.infer<typeof CreateOrganizationKey>;

/** POST /orgs/:slug/keys/grants: keys sealed to admin devices that lack them. */
export const AddKeyGrants = z.strictObject({
  grants: z.array(Grant).min(1).max(MAX_GRANTS_PER_REQUEST),
  /** True when the sender opened the keys with the recovery key (recorded in the activity log). */
  recovered: z.boolean().optional(),
});
export type AddKeyGrants = z.infer<typeof AddKeyGrants>;

/** PUT /orgs/:slug/keys/recovery: a new recovery key; every key of the organization sealed to it. */
export const ReplaceRecoveryKey = z.strictObject({
  recoveryPublicKey: x25519Key,
  copies: z.array(RecoveryCopy).min(1).max(MAX_ORGANIZATION_KEYS),
});
export type ReplaceRecoveryKey = z.infer<typeof ReplaceRecoveryKey>;

/** The key that signatures, answers and records are sealed to now. */
export interface OrganizationPublicKey {
  readonly id: string;
  /** Raw X25519 public key, base64url. */
  readonly publicKey: string;
  readonly createdAt: number;
}

export interface OrganizationKeyInfo extends OrganizationPublicKey {
  /** Username of the admin who made it; null once that account is deleted. */
  readonly createdBy: string | null;
  /** When a rotation replaced it; null for the current key. */
  readonly retiredAt: number | null;
}

/** An admin's device as the key page shows it, and as a client needs it to seal a grant. */
export interface AdminDeviceKeyState {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly accountId: string;
  readonly username: string;
  /** The device's Ed25519 key: the client checks `sealKeySignature` with it before sealing. */
  readonly devicePublicKey: string;
  /** Its X25519 key; null until the device has published one (it does when it next opens Commune). */
  readonly sealPublicKey: string | null;
  readonly sealKeySignature: string | null;
  /** Ids of the organization's keys this device holds no grant for. */
  readonly missingKeyIds: readonly string[];
}

/** GET /orgs/:slug/keys (admins): every key, the recovery key's public half, every admin device. */
export interface OrganizationKeysStatus {
  readonly organizationId: string;
  /** Newest first; the first one with `retiredAt: null` is current. */
  readonly keys: readonly OrganizationKeyInfo[];
  readonly recovery: { readonly publicKey: string; readonly updatedAt: number } | null;
  readonly devices: readonly AdminDeviceKeyState[];
}

/** A key sealed to the caller's device (GET /orgs/:slug/keys/grants). */
export interface KeyGrant {
  readonly keyId: string;
  readonly sealed: string;
}

/** A key sealed to the recovery key (GET /orgs/:slug/keys/recovery). */
export interface RecoveryCopyInfo {
  readonly keyId: string;
  readonly recoveryPublicKey: string;
  readonly sealed: string;
}
