/**
 * A member of an MLS group is one device of one account. Its basic credential's identity is the
 * UTF-8 text `accountId:deviceId`, both server ids (1–64 characters of base64url, so no ':').
 */
export interface MemberIdentity {
  readonly accountId: string;
  readonly deviceId: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID.test(value);
}

export function encodeIdentity(identity: MemberIdentity): Uint8Array {
  if (!isId(identity.accountId) || !isId(identity.deviceId)) throw new TypeError("accountId and deviceId must be 1-64 base64url characters");
  return encoder.encode(`${identity.accountId}:${identity.deviceId}`);
}

/** The identity in a credential, or undefined when the bytes are not exactly `accountId:deviceId`. */
export function parseIdentity(bytes: Uint8Array): MemberIdentity | undefined {
  if (bytes.length < 3 || bytes.length > 129) return undefined;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  const accountId = text.slice(0, colon);
  const deviceId = text.slice(colon + 1);
  if (colon < 0 || !isId(accountId) || !isId(deviceId)) return undefined;
  return Object.freeze({ accountId, deviceId });
}

export function sameIdentity(a: MemberIdentity, b: MemberIdentity): boolean {
  return a.accountId === b.accountId && a.deviceId === b.deviceId;
}
