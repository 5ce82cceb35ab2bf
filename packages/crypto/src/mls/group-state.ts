/**
 * MlsGroup: one device's view of one MLS group at one epoch. It is a value — operations return a
 * new MlsGroup and leave the old one usable (a client keeps the old one until the server accepts its
 * commit, and goes back to it on a conflict). The ts-mls state inside is reachable only from this
 * module's functions.
 */
import {
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  defaultPaddingConfig,
  type CiphersuiteImpl,
  type ClientConfig,
  type ClientState,
  type LeafNode,
  type RatchetTree,
} from "ts-mls";
import type { ProviderName } from "./crypto/provider.ts";
import { parseIdentity, type MemberIdentity } from "./identity.ts";
import type { SuiteName } from "./suite.ts";

/**
 * Decides whether a member's credential (its `accountId:deviceId`) may use this signature key.
 * The client answers from what it knows of the account's devices (for example the device list
 * the server returned, checked against safety numbers the user verified). Called for every leaf
 * of a tree being joined and for every new or updated leaf; return false to refuse.
 */
export type AuthenticateHook = (identity: MemberIdentity, signaturePublicKey: Uint8Array) => boolean | Promise<boolean>;

export interface MlsOptions {
  /** Which crypto implementation: "commune" (default; see crypto/provider.ts) or ts-mls's own "ts-mls". */
  readonly provider?: ProviderName;
  /** Credential check; by default any well-formed Commune identity is accepted. */
  readonly authenticate?: AuthenticateHook;
  /**
   * How many past epochs' keys are kept to decrypt late application messages (default 2). Each
   * kept epoch holds a copy of the tree: it is most of the size of a saved state.
   */
  readonly retainEpochs?: number;
  /**
   * Send commits and proposals as PublicMessage (default true) so that the server can read who
   * adds or removes whom and enforce the room's roles; their content is membership the server
   * knows anyway. Application messages are always PrivateMessage.
   */
  readonly publicHandshake?: boolean;
}

export interface Context {
  readonly suite: SuiteName;
  readonly impl: CiphersuiteImpl;
  readonly provider: ProviderName;
  readonly publicHandshake: boolean;
  readonly retainEpochs: number;
  readonly clientConfig: ClientConfig;
}

export function makeContext(suite: SuiteName, impl: CiphersuiteImpl, options: MlsOptions = {}): Context {
  const retainEpochs = options.retainEpochs ?? 2;
  if (!Number.isInteger(retainEpochs) || retainEpochs < 1 || retainEpochs > 16) throw new TypeError("retainEpochs must be an integer from 1 to 16");
  const authenticate = options.authenticate;
  const clientConfig: ClientConfig = {
    keyRetentionConfig: { ...defaultKeyRetentionConfig, retainKeysForEpochs: retainEpochs },
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    paddingConfig: defaultPaddingConfig,
    authService: {
      async validateCredential(credential, signaturePublicKey) {
        if (credential.credentialType !== "basic") return false;
        const identity = parseIdentity(credential.identity);
        if (!identity) return false;
        return authenticate ? await authenticate(identity, signaturePublicKey) : true;
      },
    },
  };
  return Object.freeze({
    suite,
    impl,
    provider: options.provider ?? "commune",
    publicHandshake: options.publicHandshake ?? true,
    retainEpochs,
    clientConfig,
  });
}

/** One leaf of the tree: a device in the group. */
export interface Member {
  readonly leafIndex: number;
  readonly identity: MemberIdentity;
  readonly signaturePublicKey: Uint8Array;
}

export interface MlsGroup {
  readonly suite: SuiteName;
  readonly groupId: Uint8Array;
  readonly epoch: bigint;
  /** This device's leaf. */
  readonly own: Member;
  /** false once this device has been removed from the group (or has left): it can do nothing more here. */
  readonly active: boolean;
  readonly memberCount: number;
}

interface Internal {
  readonly state: ClientState;
  readonly ctx: Context;
}

const internals = new WeakMap<MlsGroup, Internal>();

export function memberAt(tree: RatchetTree, leafIndex: number): Member | undefined {
  const node = tree[leafIndex * 2];
  if (node?.nodeType !== "leaf") return undefined;
  return memberOf(node.leaf, leafIndex);
}

export function memberOf(leaf: LeafNode, leafIndex: number): Member | undefined {
  if (leaf.credential.credentialType !== "basic") return undefined;
  const identity = parseIdentity(leaf.credential.identity);
  return identity ? Object.freeze({ leafIndex, identity, signaturePublicKey: leaf.signaturePublicKey }) : undefined;
}

export function treeMembers(tree: RatchetTree): Member[] {
  const out: Member[] = [];
  for (let i = 0; i < tree.length; i += 2) {
    const m = memberAt(tree, i / 2);
    if (m) out.push(m);
  }
  return out;
}

export function wrap(state: ClientState, ctx: Context, previousOwn?: Member): MlsGroup {
  const leafIndex = state.privatePath.leafIndex;
  let memberCount = 0;
  for (let i = 0; i < state.ratchetTree.length; i += 2) if (state.ratchetTree[i]?.nodeType === "leaf") memberCount++;
  // after our removal the tree no longer has our leaf: we stay who we were
  const own = memberAt(state.ratchetTree, leafIndex) ?? previousOwn;
  if (!own) throw new TypeError("own leaf missing from the tree");
  const group: MlsGroup = Object.freeze({
    suite: ctx.suite,
    groupId: state.groupContext.groupId,
    epoch: state.groupContext.epoch,
    own,
    active: state.groupActiveState.kind === "active",
    memberCount,
  });
  internals.set(group, { state, ctx });
  return group;
}

export function unwrap(group: MlsGroup): Internal {
  const internal = internals.get(group);
  if (!internal) throw new TypeError("not an MlsGroup made by @commune/crypto/mls");
  return internal;
}

/** Every device in the group, by leaf index. */
export function members(group: MlsGroup): Member[] {
  return treeMembers(unwrap(group).state.ratchetTree);
}

export function epoch(group: MlsGroup): bigint {
  return group.epoch;
}
