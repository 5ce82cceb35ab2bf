/**
 * Safety numbers, as Signal computes them (libsignal NumericFingerprintGenerator, version 0): each
 * person's fingerprint is SHA-512 iterated 5,200 times over version ‖ keys ‖ id, then
 * hash ← SHA-512(hash ‖ keys); its first 30 bytes give 30 digits (six 5-byte big-endian numbers,
 * each mod 100,000). The two halves are sorted, so both people see the same 60 digits.
 *
 * A person may have several devices: their "keys" are the MLS signature public keys of all their
 * devices, sorted bytewise and concatenated. A new device changes the number — which is the point:
 * the app then warns in every shared room.
 */
import { sha512 } from "@noble/hashes/sha2.js";
import { fromBase64Url, toBase64Url } from "../encoding.ts";

export interface SafetyIdentity {
  /** A stable id for the person (the account id). */
  readonly id: string;
  /** Their device signature public key(s). */
  readonly keys: Uint8Array | readonly Uint8Array[];
}

export const SAFETY_ITERATIONS = 5200;
const VERSION = Uint8Array.of(0, 0);
const QR_PREFIX = "CSN1";
const encoder = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function fingerprint(who: SafetyIdentity): Uint8Array {
  const list = who.keys instanceof Uint8Array ? [who.keys] : [...who.keys];
  if (list.length === 0 || list.some((k) => !(k instanceof Uint8Array) || k.length === 0)) throw new TypeError("a safety identity needs at least one key");
  if (typeof who.id !== "string" || who.id.length === 0) throw new TypeError("a safety identity needs an id");
  const keys = concat(list.sort(compareBytes));
  let hash = concat([VERSION, keys, encoder.encode(who.id)]);
  const buf = new Uint8Array(64 + keys.length);
  buf.set(keys, 64);
  for (let i = 0; i < SAFETY_ITERATIONS; i++) {
    if (i === 0) hash = sha512(concat([hash, keys]));
    else {
      buf.set(hash, 0);
      hash = sha512(buf);
    }
  }
  return hash;
}

function digits(hash: Uint8Array): string {
  let out = "";
  for (let offset = 0; offset < 30; offset += 5) {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + hash[offset + i]!;
    out += String(n % 100_000).padStart(5, "0");
  }
  return out;
}

/** 60 digits, the same for both people whatever the order of the arguments. */
export function safetyNumber(a: SafetyIdentity, b: SafetyIdentity): string {
  const [x, y] = [digits(fingerprint(a)), digits(fingerprint(b))];
  return x <= y ? x + y : y + x;
}

/** "12345 67890 …": twelve groups of five, for display. */
export function formatSafetyNumber(number: string): string {
  return number.replace(/(\d{5})(?=\d)/g, "$1 ");
}

/**
 * What a QR code shows: "CSN1" and base64url(own fingerprint[0..32] ‖ other's[0..32]), 90
 * characters. The other person scans it and checks it with verifySafetyQr.
 */
export function safetyQrPayload(own: SafetyIdentity, other: SafetyIdentity): string {
  return QR_PREFIX + toBase64Url(concat([fingerprint(own).subarray(0, 32), fingerprint(other).subarray(0, 32)]));
}

/** True when a scanned payload was made by `other` for `own` with the keys we both hold. */
export function verifySafetyQr(payload: string, own: SafetyIdentity, other: SafetyIdentity): boolean {
  if (typeof payload !== "string" || !payload.startsWith(QR_PREFIX) || payload.length !== QR_PREFIX.length + 86) return false;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(payload.slice(QR_PREFIX.length));
  } catch {
    return false;
  }
  const theirs = fingerprint(other).subarray(0, 32);
  const mine = fingerprint(own).subarray(0, 32);
  return compareBytes(bytes.subarray(0, 32), theirs) === 0 && compareBytes(bytes.subarray(32, 64), mine) === 0;
}
