/**
 * A device's Ed25519 signature key. The browser keeps the private key non-extractable in IndexedDB;
 * the headless client keeps it in a file (it must be extractable to be saved there).
 */
import { fromBase64Url, toBase64Url } from "./encoding.ts";

export interface DeviceKeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Raw 32-byte public key, base64url. */
  readonly publicKeyRaw: string;
}

const ED25519 = { name: "Ed25519" } as const;
const encoder = new TextEncoder();

export async function generateDeviceKeyPair(options: { extractable?: boolean } = {}): Promise<DeviceKeyPair> {
  const pair = (await crypto.subtle.generateKey(ED25519, options.extractable ?? false, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeyRaw: toBase64Url(raw) };
}

export async function sign(privateKey: CryptoKey, message: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const data = typeof message === "string" ? encoder.encode(message) : message;
  return toBase64Url(new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, data)));
}

/** Verifies an Ed25519 signature; false (never a throw) for malformed keys or signatures. */
export async function verify(publicKeyRaw: string, signature: string, message: string | Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    const keyBytes = fromBase64Url(publicKeyRaw);
    const sig = fromBase64Url(signature);
    if (keyBytes.length !== 32 || sig.length !== 64) return false;
    const key = await crypto.subtle.importKey("raw", keyBytes, ED25519, false, ["verify"]);
    const data = typeof message === "string" ? encoder.encode(message) : message;
    return await crypto.subtle.verify(ED25519, key, sig, data);
  } catch {
    return false;
  }
}

/** PKCS#8 and raw public key, for saving an extractable key pair to a file. */
export async function exportDeviceKeyPair(pair: DeviceKeyPair): Promise<{ privateKey: string; publicKey: string }> {
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { privateKey: toBase64Url(pkcs8), publicKey: pair.publicKeyRaw };
}

export async function importDeviceKeyPair(saved: { privateKey: string; publicKey: string }): Promise<DeviceKeyPair> {
  const privateKey = await crypto.subtle.importKey("pkcs8", fromBase64Url(saved.privateKey), ED25519, true, ["sign"]);
  const publicKey = await crypto.subtle.importKey("raw", fromBase64Url(saved.publicKey), ED25519, true, ["verify"]);
  return { privateKey, publicKey, publicKeyRaw: saved.publicKey };
}
