/**
 * Creating and changing groups: create, commit (add, remove, update), leave, join by Welcome or by
 * external commit, encrypt. Receiving is in process.ts.
 *
 * A commit's result holds the group at the next epoch, but the server decides which commit of an
 * epoch wins: keep the current MlsGroup until the server accepts the commit, then switch; on a
 * conflict, drop the result, process the winning commit, and build the change again.
 */
import {
  createApplicationMessage,
  createCommit,
  createGroup as tsCreateGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  createProposal,
  emptyPskIndex,
  encodeMlsMessage,
  joinGroup,
  joinGroupExternal,
  type KeyPackage,
  type Proposal,
} from "ts-mls";
import { toBase64Url } from "../encoding.ts";
import { bytesEqual, bytesKey } from "./codec.ts";
import { attempt, MlsOperationError, type MlsResult } from "./errors.ts";
import { makeContext, memberOf, treeMembers, unwrap, wrap, type Member, type MlsGroup, type MlsOptions } from "./group-state.ts";
import { isId } from "./identity.ts";
import { makeKeyPackageRef } from "./internals.ts";
import { decodeKeyPackage, decodeKeyPackageSecret, newKeyPackage, type MemberCredentials } from "./key-packages.ts";
import { DEFAULT_SUITE, isSuiteName, suiteImpl, type SuiteName } from "./suite.ts";
import { decodeMessage, expectWireformat } from "./wire.ts";

function requireActive(group: MlsGroup): void {
  if (!group.active) throw new MlsOperationError("not_member", "this device is no longer a member of the group");
}

/**
 * A new group with this device as its only member. `groupId`: a stable id for the room (for
 * example the UTF-8 of the server's room id), at most 255 bytes.
 */
export function createGroup(
  groupId: Uint8Array,
  credentials: MemberCredentials,
  options: MlsOptions & { readonly suite?: SuiteName } = {},
): Promise<MlsResult<{ readonly group: MlsGroup }>> {
  return attempt(async () => {
    if (!(groupId instanceof Uint8Array) || groupId.length < 1 || groupId.length > 255) throw new TypeError("groupId must be 1-255 bytes");
    const suite = options.suite ?? DEFAULT_SUITE;
    const impl = await suiteImpl(suite, options.provider);
    const ctx = makeContext(suite, impl, options);
    const { publicPackage, privatePackage } = await newKeyPackage(credentials, suite, options.provider);
    const state = await tsCreateGroup(groupId, publicPackage, privatePackage, [], impl, ctx.clientConfig);
    return { group: wrap(state, ctx) };
  });
}

/** A member to remove: a leaf index, or every device of an account, or one device. */
export type RemoveTarget = number | { readonly accountId: string; readonly deviceId?: string };

export interface CommitRequest {
  /** KeyPackages (MLSMessage bytes, as published) of the devices to add. */
  readonly add?: readonly Uint8Array[];
  readonly remove?: readonly RemoveTarget[];
  /** Also return the GroupInfo of the new epoch (for external joins), ~ the size of the tree. */
  readonly groupInfo?: boolean;
}

export interface CommitOutcome {
  /** The commit, to submit to the server for the epoch `group.epoch` of the group it was built on. */
  readonly commit: Uint8Array;
  /** One Welcome for every added device (each finds its part by KeyPackageRef); holds the tree. */
  readonly welcome: Uint8Array | undefined;
  readonly groupInfo: Uint8Array | undefined;
  /** The group at the new epoch: use it once the server has accepted the commit. */
  readonly group: MlsGroup;
  readonly epoch: bigint;
  readonly added: readonly Member[];
  readonly removed: readonly Member[];
}

function resolveRemovals(members: readonly Member[], own: Member, targets: readonly RemoveTarget[]): Member[] {
  const chosen = new Map<number, Member>();
  for (const target of targets) {
    let found: Member[];
    if (typeof target === "number") {
      found = members.filter((m) => m.leafIndex === target);
    } else {
      if (!isId(target.accountId) || (target.deviceId !== undefined && !isId(target.deviceId))) throw new TypeError("invalid remove target");
      found = members.filter((m) => m.identity.accountId === target.accountId && (target.deviceId === undefined || m.identity.deviceId === target.deviceId));
    }
    if (found.length === 0) throw new MlsOperationError("invalid_request", `no member matches remove target ${JSON.stringify(target)}`);
    for (const m of found) chosen.set(m.leafIndex, m);
  }
  if (chosen.has(own.leafIndex)) {
    throw new MlsOperationError("invalid_request", "a member cannot commit its own removal: use proposeLeave and let another member commit it");
  }
  return [...chosen.values()];
}

/**
 * Builds a commit: adds, removes, and every pending proposal this device has received (leave
 * requests). With nothing to add or remove it is an update: new keys for this device's path,
 * which heals a compromise and fills the tree (see docs/benchmarks.md on blank trees).
 */
export function commit(group: MlsGroup, request: CommitRequest = {}): Promise<MlsResult<CommitOutcome>> {
  return attempt(async () => {
    requireActive(group);
    const { state, ctx } = unwrap(group);
    const current = treeMembers(state.ratchetTree);
    const currentKeys = new Set(current.map((m) => bytesKey(m.signaturePublicKey)));
    const adds: KeyPackage[] = [];
    for (const [i, bytes] of (request.add ?? []).entries()) {
      let kp: KeyPackage;
      try {
        kp = decodeKeyPackage(bytes);
      } catch (e) {
        throw new MlsOperationError("invalid_key_package", `key package ${i}: ${e instanceof Error ? e.message : "invalid"}`);
      }
      if (kp.cipherSuite !== ctx.suite) throw new MlsOperationError("invalid_key_package", `key package ${i} is for ${kp.cipherSuite}, the group uses ${ctx.suite}`);
      if (!memberOf(kp.leafNode, 0)) throw new MlsOperationError("invalid_key_package", `key package ${i} has no Commune identity`);
      if (currentKeys.has(bytesKey(kp.leafNode.signaturePublicKey))) {
        throw new MlsOperationError("invalid_key_package", `key package ${i} belongs to a device already in the group`);
      }
      adds.push(kp);
    }
    const removed = resolveRemovals(current, group.own, request.remove ?? []);
    const proposals: Proposal[] = [
      ...removed.map((m): Proposal => ({ proposalType: "remove", remove: { removed: m.leafIndex } })),
      ...adds.map((keyPackage): Proposal => ({ proposalType: "add", add: { keyPackage } })),
    ];
    const result = await createCommit(
      { state, cipherSuite: ctx.impl },
      { extraProposals: proposals, ratchetTreeExtension: true, wireAsPublicMessage: ctx.publicHandshake },
    );
    const next = wrap(result.newState, ctx);
    const byKey = new Map(treeMembers(result.newState.ratchetTree).map((m) => [bytesKey(m.signaturePublicKey), m]));
    const added = adds.map((kp) => byKey.get(bytesKey(kp.leafNode.signaturePublicKey))!);
    return {
      commit: encodeMlsMessage(result.commit),
      welcome: result.welcome ? encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome: result.welcome }) : undefined,
      groupInfo: request.groupInfo ? await encodeGroupInfo(result.newState, ctx.impl) : undefined,
      group: next,
      epoch: next.epoch,
      added,
      removed,
    };
  });
}

export const commitAdd = (group: MlsGroup, keyPackages: readonly Uint8Array[], options: { readonly groupInfo?: boolean } = {}) =>
  commit(group, { add: keyPackages, ...options });
export const commitRemove = (group: MlsGroup, targets: readonly RemoveTarget[], options: { readonly groupInfo?: boolean } = {}) =>
  commit(group, { remove: targets, ...options });
/** An empty commit: fresh path keys for this device, plus any pending proposals (leave requests). */
export const commitUpdate = (group: MlsGroup, options: { readonly groupInfo?: boolean } = {}) => commit(group, options);

/**
 * Leaving: RFC 9420 lets a member propose its own removal, not commit it. Submit the proposal;
 * the next commit by another member (any commit includes the pending proposals it has seen)
 * removes this device. Until then this device is still a member and may keep reading.
 */
export function proposeLeave(group: MlsGroup): Promise<MlsResult<{ readonly proposal: Uint8Array; readonly group: MlsGroup }>> {
  return attempt(async () => {
    requireActive(group);
    const { state, ctx } = unwrap(group);
    const result = await createProposal(state, ctx.publicHandshake, { proposalType: "remove", remove: { removed: state.privatePath.leafIndex } }, ctx.impl);
    return { proposal: encodeMlsMessage(result.message), group: wrap(result.newState, ctx) };
  });
}

async function encodeGroupInfo(state: Parameters<typeof createGroupInfoWithExternalPubAndRatchetTree>[0], impl: Parameters<typeof createGroupInfoWithExternalPubAndRatchetTree>[2]) {
  const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(state, [], impl);
  return encodeMlsMessage({ version: "mls10", wireformat: "mls_group_info", groupInfo });
}

/**
 * The signed GroupInfo of the current epoch, with the tree and the external public key: what a
 * device needs to join by itself (joinExternal). Whoever holds it can attempt an external join, so
 * clients must refuse external joins their policy does not allow (see ProcessOptions.policy).
 */
export function groupInfo(group: MlsGroup): Promise<MlsResult<{ readonly groupInfo: Uint8Array }>> {
  return attempt(async () => {
    requireActive(group);
    const { state, ctx } = unwrap(group);
    return { groupInfo: await encodeGroupInfo(state, ctx.impl) };
  });
}

/** Joins from a Welcome addressed to one of this device's KeyPackages (its `secret`). */
export function joinWelcome(welcomeBytes: Uint8Array, keyPackageSecret: Uint8Array, options: MlsOptions = {}): Promise<MlsResult<{ readonly group: MlsGroup }>> {
  return attempt(async () => {
    const welcome = expectWireformat(decodeMessage(welcomeBytes), "mls_welcome").welcome;
    const { publicPackage, privatePackage, suite } = decodeKeyPackageSecret(keyPackageSecret);
    if (welcome.cipherSuite !== suite) throw new MlsOperationError("not_for_us", `the Welcome is for ${welcome.cipherSuite}, the KeyPackage for ${suite}`);
    const impl = await suiteImpl(suite, options.provider);
    const ref = await makeKeyPackageRef(publicPackage, impl.hash);
    if (!welcome.secrets.some((s) => bytesEqual(s.newMember, ref))) {
      throw new MlsOperationError("not_for_us", `the Welcome does not include KeyPackage ${toBase64Url(ref)}`);
    }
    const ctx = makeContext(suite, impl, options);
    const state = await joinGroup(welcome, publicPackage, privatePackage, emptyPskIndex, impl, undefined, undefined, ctx.clientConfig);
    return { group: wrap(state, ctx) };
  });
}

/**
 * Joins by external commit (RFC 9420 §12.4.3.2) from a GroupInfo (groupInfo()), with no one else
 * acting: for a person who came in through an invite link. Submit `commit` like any commit; once
 * the server accepts it, `group` is this device's state. `resync: true` replaces this device's old
 * leaf (same signature key) — the way back for a device that lost its state.
 */
export function joinExternal(
  groupInfoBytes: Uint8Array,
  credentials: MemberCredentials,
  options: MlsOptions & { readonly resync?: boolean } = {},
): Promise<MlsResult<{ readonly commit: Uint8Array; readonly group: MlsGroup }>> {
  return attempt(async () => {
    const info = expectWireformat(decodeMessage(groupInfoBytes), "mls_group_info").groupInfo;
    const suite = info.groupContext.cipherSuite;
    if (!isSuiteName(suite)) throw new MlsOperationError("unsupported", `cipher suite ${suite} is not one Commune uses`);
    const impl = await suiteImpl(suite, options.provider);
    const ctx = makeContext(suite, impl, options);
    const { publicPackage, privatePackage } = await newKeyPackage(credentials, suite, options.provider);
    const { publicMessage, newState } = await joinGroupExternal(info, publicPackage, privatePackage, options.resync === true, impl, undefined, ctx.clientConfig);
    return {
      commit: encodeMlsMessage({ version: "mls10", wireformat: "mls_public_message", publicMessage }),
      group: wrap(newState, ctx),
    };
  });
}

/** Encrypts an application message (always a PrivateMessage). `authenticatedData` travels in clear, authenticated. */
export function encrypt(
  group: MlsGroup,
  plaintext: Uint8Array,
  options: { readonly authenticatedData?: Uint8Array } = {},
): Promise<MlsResult<{ readonly message: Uint8Array; readonly group: MlsGroup }>> {
  return attempt(async () => {
    requireActive(group);
    const { state, ctx } = unwrap(group);
    const result = await createApplicationMessage(state, plaintext, ctx.impl, options.authenticatedData);
    return {
      message: encodeMlsMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage: result.privateMessage }),
      group: wrap(result.newState, ctx),
    };
  });
}

