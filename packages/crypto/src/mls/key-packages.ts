/**
 * Signature keys and KeyPackages. A device has one Ed25519 signature key pair for MLS, used in all
 * its KeyPackages and leaves (safety numbers are computed over it), and publishes batches of
 * one-use KeyPackages plus one last-resort package the server may hand out more than once.
 */
import {
  decodeMlsMessage,
  defaultCapabilities,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  type CiphersuiteName,
  type KeyPackage,
  type PrivateKeyPackage,
} from "ts-mls";
import { toBase64Url } from "../encoding.ts";
import { asymmetricOps } from "./crypto/asymmetric.ts";
import type { ProviderName } from "./crypto/provider.ts";
import { ByteReader, ByteWriter } from "./codec.ts";
import { attempt, MlsOperationError, type MlsResult } from "./errors.ts";
import { encodeIdentity, parseIdentity, type MemberIdentity } from "./identity.ts";
import { makeKeyPackageRef, verifyKeyPackage } from "./internals.ts";
import { DEFAULT_SUITE, isSuiteName, suiteImpl, type SuiteName } from "./suite.ts";

/** Ed25519, raw: a 32-byte public key and the 32-byte private seed (RFC 8032). */
export interface SignatureKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** Who a device is in MLS: its identity and its signature key pair. */
export interface MemberCredentials {
  readonly identity: MemberIdentity;
  readonly signatureKeys: SignatureKeyPair;
}

export interface GeneratedKeyPackage {
  /** The KeyPackage as an MLSMessage (wire format mls_key_package): publish this. */
  readonly keyPackage: Uint8Array;
  /** Its KeyPackageRef (RFC 9420 §5.2), base64url: a Welcome names the packages it is for by ref. */
  readonly ref: string;
  readonly lastResort: boolean;
  /** The private keys with the package: keep on the device (encrypted at rest), pass to joinWelcome. */
  readonly secret: Uint8Array;
}

export interface KeyPackageInfo {
  readonly suite: SuiteName;
  readonly identity: MemberIdentity;
  readonly signaturePublicKey: Uint8Array;
  readonly ref: string;
  readonly lastResort: boolean;
  /** Validity, seconds since 1970 (the leaf's lifetime). */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** last_resort KeyPackage extension (draft-ietf-mls-extensions, type 0x000A): may be used more than once. */
export const LAST_RESORT_EXTENSION = 0x000a;
const SECRET_FORMAT = 1;
const DAY = 86_400;

export async function generateSignatureKeyPair(): Promise<SignatureKeyPair> {
  const { privateKey, publicKey } = await (await asymmetricOps()).ed25519.generateKeyPair();
  return Object.freeze({ privateKey, publicKey });
}

export interface KeyPackageOptions {
  readonly suite?: SuiteName;
  /** Mark the last package of the batch last-resort (default false). */
  readonly lastResort?: boolean;
  /** How long the packages are valid (default 90 days); a committer refuses expired packages. */
  readonly lifetimeSeconds?: number;
  readonly provider?: ProviderName;
}

export function keyPackageMessage(keyPackage: KeyPackage): Uint8Array {
  return encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage });
}

/** Decodes an MLSMessage holding a KeyPackage; throws MlsOperationError("invalid_key_package"). */
export function decodeKeyPackage(bytes: Uint8Array): KeyPackage {
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch {
    decoded = undefined;
  }
  if (!decoded || decoded[1] !== bytes.length || decoded[0].wireformat !== "mls_key_package") {
    throw new MlsOperationError("invalid_key_package", "not an MLSMessage holding a KeyPackage");
  }
  return decoded[0].keyPackage;
}

function suiteOf(name: CiphersuiteName): SuiteName {
  if (!isSuiteName(name)) throw new MlsOperationError("unsupported", `cipher suite ${name} is not one Commune uses`);
  return name;
}

/**
 * Checks a KeyPackage as a server or a committer should before using it: a Commune suite, a basic
 * credential with a Commune identity, a valid self-signature, distinct init and leaf keys.
 * Expiry is reported, not judged (compare notAfter with the clock).
 */
export function inspectKeyPackage(bytes: Uint8Array, options: { readonly provider?: ProviderName } = {}): Promise<MlsResult<KeyPackageInfo>> {
  return attempt(async () => {
    const kp = decodeKeyPackage(bytes);
    const suite = suiteOf(kp.cipherSuite);
    const impl = await suiteImpl(suite, options.provider);
    const credential = kp.leafNode.credential;
    const identity = credential.credentialType === "basic" ? parseIdentity(credential.identity) : undefined;
    if (!identity) throw new MlsOperationError("invalid_key_package", "credential is not a basic Commune identity");
    if (kp.leafNode.leafNodeSource !== "key_package") throw new MlsOperationError("invalid_key_package", "leaf node is not from a KeyPackage");
    if (!(await verifyKeyPackage(kp, impl.signature))) throw new MlsOperationError("invalid_key_package", "KeyPackage signature does not verify");
    // the leaf node carries its own signature too; ts-mls checks it when the package is added
    if (kp.initKey.length === kp.leafNode.hpkePublicKey.length && kp.initKey.every((b, i) => b === kp.leafNode.hpkePublicKey[i])) {
      throw new MlsOperationError("invalid_key_package", "init key equals the leaf key");
    }
    return {
      suite,
      identity,
      signaturePublicKey: kp.leafNode.signaturePublicKey,
      ref: toBase64Url(await makeKeyPackageRef(kp, impl.hash)),
      lastResort: kp.extensions.some((e) => e.extensionType === LAST_RESORT_EXTENSION),
      notBefore: Number(kp.leafNode.lifetime.notBefore),
      notAfter: Number(kp.leafNode.lifetime.notAfter),
    };
  });
}

/** A fresh KeyPackage with its private keys (for publishing, creating a group, joining externally). */
export async function newKeyPackage(
  credentials: MemberCredentials,
  suite: SuiteName,
  provider: ProviderName | undefined,
  lastResort = false,
  lifetimeSeconds = 90 * DAY,
): Promise<{ publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }> {
  const impl = await suiteImpl(suite, provider);
  const capabilities = defaultCapabilities();
  const now = Math.floor(Date.now() / 1000);
  return generateKeyPackageWithKey(
    { credentialType: "basic", identity: encodeIdentity(credentials.identity) },
    { ...capabilities, ciphersuites: [suite], extensions: [...capabilities.extensions, LAST_RESORT_EXTENSION] },
    // an hour of slack for clocks that run behind
    { notBefore: BigInt(now - 3600), notAfter: BigInt(now + lifetimeSeconds) },
    lastResort ? [{ extensionType: LAST_RESORT_EXTENSION, extensionData: new Uint8Array() }] : [],
    { signKey: credentials.signatureKeys.privateKey, publicKey: credentials.signatureKeys.publicKey },
    impl,
  );
}

/**
 * `count` KeyPackages for publishing. With `lastResort: true` the last one carries the
 * last_resort extension: the server hands it out when the one-use packages run out, so that the
 * device can still be added (its init key is then used more than once — less forward secrecy for
 * those Welcomes, which is why the device should top up and rotate it).
 */
export async function generateKeyPackages(credentials: MemberCredentials, count: number, options: KeyPackageOptions = {}): Promise<GeneratedKeyPackage[]> {
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new TypeError("count must be an integer from 1 to 1000");
  const suite = options.suite ?? DEFAULT_SUITE;
  const impl = await suiteImpl(suite, options.provider);
  const out: GeneratedKeyPackage[] = [];
  for (let i = 0; i < count; i++) {
    const lastResort = options.lastResort === true && i === count - 1;
    const { publicPackage, privatePackage } = await newKeyPackage(credentials, suite, options.provider, lastResort, options.lifetimeSeconds);
    const keyPackage = keyPackageMessage(publicPackage);
    out.push(
      Object.freeze({
        keyPackage,
        ref: toBase64Url(await makeKeyPackageRef(publicPackage, impl.hash)),
        lastResort,
        secret: encodeKeyPackageSecret(keyPackage, privatePackage),
      }),
    );
  }
  return out;
}

function encodeKeyPackageSecret(keyPackage: Uint8Array, p: PrivateKeyPackage): Uint8Array {
  return new ByteWriter().u8(SECRET_FORMAT).bytes(keyPackage).bytes(p.initPrivateKey).bytes(p.hpkePrivateKey).bytes(p.signaturePrivateKey).finish();
}

export function decodeKeyPackageSecret(secret: Uint8Array): { publicPackage: KeyPackage; privatePackage: PrivateKeyPackage; suite: SuiteName } {
  try {
    const r = new ByteReader(secret);
    if (r.u8() !== SECRET_FORMAT) throw new RangeError("unknown format");
    const publicPackage = decodeKeyPackage(r.bytes());
    const privatePackage = { initPrivateKey: r.bytes(), hpkePrivateKey: r.bytes(), signaturePrivateKey: r.bytes() };
    r.end();
    return { publicPackage, privatePackage, suite: suiteOf(publicPackage.cipherSuite) };
  } catch (e) {
    if (e instanceof MlsOperationError) throw e;
    throw new MlsOperationError("invalid_request", "not a KeyPackage secret made by generateKeyPackages");
  }
}
