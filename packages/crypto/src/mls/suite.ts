/** The two cipher suites Commune offers, and the ts-mls implementation of each. */
import { getCiphersuiteFromName, getCiphersuiteImpl, type CiphersuiteImpl } from "ts-mls";
import { cryptoProvider, type ProviderName } from "./crypto/provider.ts";

export const SUITES = ["MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", "MLS_256_XWING_AES256GCM_SHA512_Ed25519"] as const;
/**
 * - `MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519` (RFC 9420 suite 1), the default.
 * - `MLS_256_XWING_AES256GCM_SHA512_Ed25519` (suite 0x0053, draft-ietf-mls-pq-ciphersuites): the
 *   X-Wing hybrid KEM (ML-KEM-768 + X25519) protects group secrets against a future quantum
 *   computer; signatures stay Ed25519. Keys and ciphertexts are ~35 times larger (see docs/benchmarks.md).
 */
export type SuiteName = (typeof SUITES)[number];
export const DEFAULT_SUITE: SuiteName = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";

export function isSuiteName(value: unknown): value is SuiteName {
  return typeof value === "string" && (SUITES as readonly string[]).includes(value);
}

const cache = new Map<string, Promise<CiphersuiteImpl>>();

/** The ts-mls implementation of a suite, built once per provider. */
export function suiteImpl(suite: SuiteName, provider: ProviderName = "commune"): Promise<CiphersuiteImpl> {
  if (!isSuiteName(suite)) return Promise.reject(new TypeError(`unknown MLS suite ${String(suite)}`));
  const key = `${provider}/${suite}`;
  let impl = cache.get(key);
  if (!impl) {
    impl = getCiphersuiteImpl(getCiphersuiteFromName(suite), cryptoProvider(provider));
    cache.set(key, impl);
    impl.catch(() => cache.delete(key));
  }
  return impl;
}
