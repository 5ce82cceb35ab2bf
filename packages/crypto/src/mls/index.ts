/**
 * MLS (RFC 9420) for Commune's loops, over ts-mls: key packages, groups, commits, messages, saved
 * state, header peeking for the server, and safety numbers. Browser and Node; no node:* imports.
 *
 * @example
 * ```ts
 * const keys = await generateSignatureKeyPair();
 * const me = { identity: { accountId, deviceId }, signatureKeys: keys };
 * const created = await createGroup(new TextEncoder().encode(roomId), me);
 * if (!created.ok) throw new Error(created.error.message);
 * const added = await commitAdd(created.group, [bobKeyPackage]);   // submit added.commit, send added.welcome
 * const sent = await encrypt(added.ok ? added.group : created.group, new TextEncoder().encode("hello"));
 * ```
 */
export { DEFAULT_SUITE, isSuiteName, SUITES } from "./suite.ts";
export type { SuiteName } from "./suite.ts";
export type { ProviderName } from "./crypto/provider.ts";
export type { MlsErrorCode, MlsFailure, MlsResult } from "./errors.ts";
export { encodeIdentity, parseIdentity, sameIdentity } from "./identity.ts";
export type { MemberIdentity } from "./identity.ts";
export { generateKeyPackages, generateSignatureKeyPair, inspectKeyPackage, LAST_RESORT_EXTENSION } from "./key-packages.ts";
export type { GeneratedKeyPackage, KeyPackageInfo, KeyPackageOptions, MemberCredentials, SignatureKeyPair } from "./key-packages.ts";
export { epoch, members } from "./group-state.ts";
export type { AuthenticateHook, Member, MlsGroup, MlsOptions } from "./group-state.ts";
export { commit, commitAdd, commitRemove, commitUpdate, createGroup, encrypt, groupInfo, joinExternal, joinWelcome, proposeLeave } from "./group.ts";
export type { CommitOutcome, CommitRequest, RemoveTarget } from "./group.ts";
export { processMessage } from "./process.ts";
export type { HandshakeSender, PolicyHook, ProcessOptions, Processed, ProposalSummary } from "./process.ts";
export { decodeState, encodeState } from "./state-codec.ts";
export { peekMessage } from "./peek.ts";
export type { ContentType, PeekedMessage, PeekedProposal, PeekedSender } from "./peek.ts";
export { formatSafetyNumber, SAFETY_ITERATIONS, safetyNumber, safetyQrPayload, verifySafetyQr } from "./safety-number.ts";
export type { SafetyIdentity } from "./safety-number.ts";
