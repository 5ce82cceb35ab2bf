/**
 * The organization key on the admin's side: making it, sealing it to admin devices and to the
 * recovery key, opening it on this device, rotating it, recovering it. The server sees public keys
 * and sealed bytes only.
 *
 * Every private key is sealed with `info` naming the organization and the key, so the server can
 * neither pass one key's copy off as another's nor move a copy between organizations; an opened
 * key is checked against the public key the server lists. The device sealing keys admins seal to
 * are checked against each device's signature — with the device's Ed25519 key as the server serves
 * it: a server that lies about a device's signature key can add a device of its own (see
 * docs/security.md, "The organization key").
 */
import {
  fromBase64Url,
  generateRecoveryKey,
  generateSealKeyPair,
  SealError,
  open,
  openAsync,
  randomToken,
  recoveryKeyPair,
  seal,
  sealPublicKeyOf,
  sign,
  toBase64Url,
  verify,
  type SealKeyPair,
} from "@commune/crypto";
import {
  MAX_GRANTS_PER_REQUEST,
  sealKeyProofMessage,
  type AdminDeviceKeyState,
  type KeyGrant,
  type OrganizationKeysStatus,
  type OrganizationPublicKey,
  type RecoveryCopyInfo,
} from "@commune/protocol";
import type { CommuneClient } from "./client.ts";
import type { StoredDevice } from "./device-store.ts";

const seg = encodeURIComponent;
const encoder = new TextEncoder();

/** What went wrong on this side (the server's refusals arrive as ApiError). */
export type OrganizationKeyProblem =
  /** This device has no sealing key yet: sign in (ensureDevice) first. */
  | "device_not_ready"
  /** The organization already has a key: rotate it instead. */
  | "already_set_up"
  /** The organization has no key yet: set one up first. */
  | "no_key"
  /** This device holds no copy of the keys this needs. */
  | "no_grant"
  /** A well-formed recovery key, but not this organization's. */
  | "wrong_recovery_key"
  /** The organization has no copy sealed to a recovery key. */
  | "no_recovery_copy"
  /** A copy opened to a key that is not the one the server lists: the server is not to be trusted. */
  | "key_mismatch";

export class OrganizationKeyError extends Error {
  override readonly name = "OrganizationKeyError";
  readonly problem: OrganizationKeyProblem;
  constructor(problem: OrganizationKeyProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** The organization's private keys this device holds, opened; they never leave this object. */
export interface OrganizationKeyRing {
  readonly organizationId: string;
  /** The key new records are sealed to (this device may lack it right after a rotation elsewhere). */
  readonly currentKeyId: string;
  /** Every key this device holds, newest first. */
  readonly keyIds: readonly string[];
  has(keyId: string): boolean;
  /** Opens a record sealed to one of the organization's keys; throws SealError if it does not open. */
  open(keyId: string, sealed: Uint8Array, info: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** `open` with X25519 on WebCrypto where available: for long lists. */
  openAsync(keyId: string, sealed: Uint8Array, info: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
}

/** HPKE `info` of an organization's private key sealed to a device or to the recovery key. */
export function organizationKeyInfo(organizationId: string, keyId: string): Uint8Array {
  return encoder.encode(`commune-organization-key-v1\n${organizationId}\n${keyId}`);
}

/** A device's sealing key, if its signature verifies with the device's own key. */
async function verifiedSealKey(device: AdminDeviceKeyState): Promise<Uint8Array | null> {
  if (!device.sealPublicKey || !device.sealKeySignature) return null;
  const message = sealKeyProofMessage(device.accountId, device.deviceId, device.sealPublicKey);
  if (!(await verify(device.devicePublicKey, device.sealKeySignature, message))) return null;
  try {
    const key = fromBase64Url(device.sealPublicKey);
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

function sealedKey(recipient: Uint8Array, privateKey: Uint8Array, organizationId: string, keyId: string): string {
  return toBase64Url(seal(recipient, privateKey, organizationKeyInfo(organizationId, keyId)));
}

/** Opens a sealed private key and checks it is the one the server lists under that id. */
function openKey(recipientPrivateKey: Uint8Array, sealed: string, organizationId: string, keyId: string, publicKey: string): Uint8Array {
  const privateKey = open(recipientPrivateKey, fromBase64Url(sealed), organizationKeyInfo(organizationId, keyId));
  if (toBase64Url(sealPublicKeyOf(privateKey)) !== publicKey) {
    throw new OrganizationKeyError("key_mismatch", "A copy of the organization key does not match its public key.");
  }
  return privateKey;
}

/** The organization-key half of CommuneClient; reach it through the client's methods. */
export class OrganizationKeys {
  readonly #client: CommuneClient;
  constructor(client: CommuneClient) {
    this.#client = client;
  }

  #device(): StoredDevice & { sealKeyPair: SealKeyPair } {
    const device = this.#client.device;
    if (!device?.sealKeyPair) throw new OrganizationKeyError("device_not_ready", "This device has no sealing key yet: sign in first.");
    return device as StoredDevice & { sealKeyPair: SealKeyPair };
  }

  /** Publishes this device's sealing key, signed by its device key (idempotent; ensureDevice calls it). */
  async publishSealKey(device: StoredDevice): Promise<void> {
    if (!device.sealKeyPair) return;
    const publicKey = toBase64Url(device.sealKeyPair.publicKey);
    const signature = await sign(device.keyPair.privateKey, sealKeyProofMessage(device.accountId, device.deviceId, publicKey));
    await this.#client.request("PUT", "/api/v1/devices/current/seal-key", { publicKey, signature });
  }

  status(slug: string): Promise<OrganizationKeysStatus> {
    return this.#client.request("GET", `/api/v1/orgs/${seg(slug)}/keys`);
  }

  async currentKey(slug: string): Promise<OrganizationPublicKey | null> {
    return (await this.#client.request<{ key: OrganizationPublicKey | null }>("GET", `/api/v1/orgs/${seg(slug)}/keys/current`)).key;
  }

  /** Seals a key to every admin device whose sealing key verifies (this device always included). */
  async #grantsFor(status: OrganizationKeysStatus, keyId: string, privateKey: Uint8Array): Promise<{ keyId: string; deviceId: string; sealed: string }[]> {
    const me = this.#device();
    const grants = [{ keyId, deviceId: me.deviceId, sealed: sealedKey(me.sealKeyPair.publicKey, privateKey, status.organizationId, keyId) }];
    for (const device of status.devices) {
      if (device.deviceId === me.deviceId) continue;
      const recipient = await verifiedSealKey(device);
      if (recipient) grants.push({ keyId, deviceId: device.deviceId, sealed: sealedKey(recipient, privateKey, status.organizationId, keyId) });
    }
    return grants;
  }

  /**
   * Makes the organization's first key: sealed to this device, to the other admins' devices, and
   * to a new recovery key, which is returned to be shown once and is kept nowhere.
   */
  async setUp(slug: string): Promise<{ recoveryKey: string; keyId: string }> {
    this.#device();
    const status = await this.status(slug);
    if (status.keys.length > 0) throw new OrganizationKeyError("already_set_up", "This organization already has a key.");
    const pair = generateSealKeyPair();
    const keyId = randomToken(16);
    const recoveryKey = generateRecoveryKey();
    const recovery = recoveryKeyPair(recoveryKey);
    await this.#client.request("POST", `/api/v1/orgs/${seg(slug)}/keys`, {
      id: keyId,
      publicKey: toBase64Url(pair.publicKey),
      replaces: null,
      grants: (await this.#grantsFor(status, keyId, pair.privateKey)).slice(0, MAX_GRANTS_PER_REQUEST),
      recovery: { recoveryPublicKey: toBase64Url(recovery.publicKey), sealed: sealedKey(recovery.publicKey, pair.privateKey, status.organizationId, keyId) },
    });
    return { recoveryKey, keyId };
  }

  /** This device's keys of the organization, opened; null when it holds none. */
  async keyRing(slug: string): Promise<OrganizationKeyRing | null> {
    const opened = await this.#openedKeys(slug);
    const current = opened?.status.keys.find((k) => k.retiredAt === null);
    if (!opened || !current) return null;
    const { status, keys } = opened;
    const keyIds = status.keys.map((k) => k.id).filter((id) => keys.has(id));
    const privateKey = (keyId: string): Uint8Array => {
      const key = keys.get(keyId);
      if (!key) throw new OrganizationKeyError("no_grant", "This device does not hold that organization key.");
      return key;
    };
    return {
      organizationId: status.organizationId,
      currentKeyId: current.id,
      keyIds,
      has: (keyId) => keys.has(keyId),
      open: (keyId, sealed, info, aad) => open(privateKey(keyId), sealed, info, aad),
      openAsync: (keyId, sealed, info, aad) => openAsync(privateKey(keyId), sealed, info, aad),
    };
  }

  /**
   * Seals every key this device holds to the admin devices that lack it. The web app calls this
   * whenever an admin opens the organization, so new admins receive the key without anyone acting.
   */
  async share(slug: string): Promise<{ granted: number; devices: number }> {
    const pending = await this.#client.request<AdminDeviceKeyState[]>("GET", `/api/v1/orgs/${seg(slug)}/keys/pending`);
    if (pending.length === 0) return { granted: 0, devices: 0 };
    const ring = await this.#openedKeys(slug);
    if (!ring) return { granted: 0, devices: 0 };
    const grants: { keyId: string; deviceId: string; sealed: string }[] = [];
    const devices = new Set<string>();
    for (const device of pending) {
      const recipient = await verifiedSealKey(device);
      if (!recipient) continue;
      for (const keyId of device.missingKeyIds) {
        const key = ring.keys.get(keyId);
        if (!key) continue;
        grants.push({ keyId, deviceId: device.deviceId, sealed: sealedKey(recipient, key, ring.organizationId, keyId) });
        devices.add(device.deviceId);
      }
    }
    const granted = await this.#sendGrants(slug, grants, false);
    return { granted, devices: devices.size };
  }

  /** The opened keys as a map, for sealing them on. */
  async #openedKeys(slug: string): Promise<{ organizationId: string; keys: Map<string, Uint8Array>; status: OrganizationKeysStatus } | null> {
    const me = this.#device();
    const [status, grants] = await Promise.all([this.status(slug), this.#client.request<KeyGrant[]>("GET", `/api/v1/orgs/${seg(slug)}/keys/grants`)]);
    const publicKeys = new Map(status.keys.map((k) => [k.id, k.publicKey]));
    const keys = new Map<string, Uint8Array>();
    for (const grant of grants) {
      const publicKey = publicKeys.get(grant.keyId);
      if (!publicKey) continue;
      try {
        keys.set(grant.keyId, openKey(me.sealKeyPair.privateKey, grant.sealed, status.organizationId, grant.keyId, publicKey));
      } catch (error) {
        // a copy that does not open counts as missing (another admin's client seals it again);
        // one that opens to the wrong key is the server lying, and must be heard
        if (!(error instanceof SealError)) throw error;
      }
    }
    return keys.size > 0 ? { organizationId: status.organizationId, keys, status } : null;
  }

  async #sendGrants(slug: string, grants: readonly { keyId: string; deviceId: string; sealed: string }[], recovered: boolean): Promise<number> {
    let added = 0;
    for (let i = 0; i < grants.length; i += MAX_GRANTS_PER_REQUEST) {
      const body = { grants: grants.slice(i, i + MAX_GRANTS_PER_REQUEST), ...(recovered && i === 0 ? { recovered: true } : {}) };
      added += (await this.#client.request<{ added: number }>("POST", `/api/v1/orgs/${seg(slug)}/keys/grants`, body)).added;
    }
    return added;
  }

  /**
   * Opens every key with the recovery key and seals them to this device (and to other admin
   * devices that lack them). Throws RecoveryKeyError for a mistyped key, OrganizationKeyError
   * `wrong_recovery_key` for another organization's.
   */
  async recover(slug: string, recoveryKey: string): Promise<{ keys: number }> {
    const me = this.#device();
    const recovery = recoveryKeyPair(recoveryKey);
    const [status, copies] = await Promise.all([this.status(slug), this.#client.request<RecoveryCopyInfo[]>("GET", `/api/v1/orgs/${seg(slug)}/keys/recovery`)]);
    if (copies.length === 0) throw new OrganizationKeyError("no_recovery_copy", "This organization has no key sealed to a recovery key.");
    const mine = toBase64Url(recovery.publicKey);
    if (copies.some((c) => c.recoveryPublicKey !== mine)) {
      throw new OrganizationKeyError("wrong_recovery_key", "This is not this organization's recovery key.");
    }
    const publicKeys = new Map(status.keys.map((k) => [k.id, k.publicKey]));
    const grants: { keyId: string; deviceId: string; sealed: string }[] = [];
    for (const copy of copies) {
      const publicKey = publicKeys.get(copy.keyId);
      if (!publicKey) continue;
      const key = openKey(recovery.privateKey, copy.sealed, status.organizationId, copy.keyId, publicKey);
      grants.push({ keyId: copy.keyId, deviceId: me.deviceId, sealed: sealedKey(me.sealKeyPair.publicKey, key, status.organizationId, copy.keyId) });
    }
    await this.#sendGrants(slug, grants, true);
    await this.share(slug);
    return { keys: grants.length };
  }

  /**
   * Makes a new current key. Records sealed from now on use it; the old keys stay with the admins
   * who hold them, so older records stay readable. Sealed to every admin device whose sealing key
   * verifies and to the recovery key the organization already has (no new recovery key to show).
   */
  async rotate(slug: string): Promise<{ keyId: string }> {
    this.#device();
    const status = await this.status(slug);
    const current = status.keys.find((k) => k.retiredAt === null);
    if (!current) throw new OrganizationKeyError("no_key", "This organization has no key yet: set one up first.");
    if (!status.recovery) throw new OrganizationKeyError("no_recovery_copy", "This organization has no recovery key to seal the new key to.");
    const recoveryPublicKey = fromBase64Url(status.recovery.publicKey);
    const pair = generateSealKeyPair();
    const keyId = randomToken(16);
    await this.#client.request("POST", `/api/v1/orgs/${seg(slug)}/keys`, {
      id: keyId,
      publicKey: toBase64Url(pair.publicKey),
      replaces: current.id,
      grants: (await this.#grantsFor(status, keyId, pair.privateKey)).slice(0, MAX_GRANTS_PER_REQUEST),
      recovery: { sealed: sealedKey(recoveryPublicKey, pair.privateKey, status.organizationId, keyId) },
    });
    return { keyId };
  }

  /**
   * Replaces the recovery key (lost, or seen by someone it should not have been): every key is
   * sealed to a new one, returned to be shown once. Needs every key on this device.
   */
  async replaceRecoveryKey(slug: string): Promise<{ recoveryKey: string }> {
    const opened = await this.#openedKeys(slug);
    if (!opened || opened.status.keys.some((k) => !opened.keys.has(k.id))) {
      throw new OrganizationKeyError("no_grant", "This device must hold every organization key to make a new recovery key.");
    }
    const recoveryKey = generateRecoveryKey();
    const recovery = recoveryKeyPair(recoveryKey);
    const copies = [...opened.keys].map(([keyId, key]) => ({ keyId, sealed: sealedKey(recovery.publicKey, key, opened.organizationId, keyId) }));
    await this.#client.request("PUT", `/api/v1/orgs/${seg(slug)}/keys/recovery`, { recoveryPublicKey: toBase64Url(recovery.publicKey), copies });
    return { recoveryKey };
  }
}
