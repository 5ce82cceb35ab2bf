/**
 * Receiving: one function for every message of a group — application messages, proposals and
 * commits — with a typed result, the sender's identity, and what changed. A room policy hook lets
 * the client refuse a valid commit that breaks the room's rules (the server checks the same rules;
 * a client that finds the server let a bad commit through stops there).
 */
import { processMessage as tsProcessMessage, emptyPskIndex, type ClientState, type IncomingMessageAction, type MLSMessage, type PrivateMessage, type Proposal, type ProposalWithSender } from "ts-mls";
import { bytesEqual, bytesKey } from "./codec.ts";
import { attempt, MlsOperationError, type MlsResult } from "./errors.ts";
import { memberAt, memberOf, treeMembers, unwrap, wrap, type Context, type Member, type MlsGroup } from "./group-state.ts";
import type { MemberIdentity } from "./identity.ts";
import { unprotectPrivateMessage } from "./internals.ts";
import { decodeMessage } from "./wire.ts";

/** What a commit or proposal changes, as the policy hook and the result see it. */
export type ProposalSummary =
  | { readonly type: "add"; readonly identity: MemberIdentity; readonly signaturePublicKey: Uint8Array }
  /** `leaving`: the member asked for its own removal (a leave request); `self`: this device is the one removed. */
  | { readonly type: "remove"; readonly member: Member; readonly leaving: boolean; readonly self: boolean }
  | { readonly type: "update"; readonly leafIndex: number }
  | { readonly type: "external_init" }
  | { readonly type: "psk" | "reinit" | "group_context_extensions" | "custom" };

export type HandshakeSender =
  | { readonly type: "member"; readonly member: Member }
  /** Joining by external commit: the identity is the joiner's claim, checked by the credential hook. */
  | { readonly type: "new_member"; readonly identity: MemberIdentity };

/**
 * Return false to refuse a commit or proposal. Called after the MLS checks passed, before the state
 * changes; `group` is the state before. Must be synchronous (ts-mls calls it inline).
 */
export type PolicyHook = (change: {
  readonly kind: "commit" | "proposal";
  readonly sender: HandshakeSender;
  readonly proposals: readonly ProposalSummary[];
  readonly group: MlsGroup;
}) => boolean;

export interface ProcessOptions {
  readonly policy?: PolicyHook;
}

export type Processed =
  | {
      readonly kind: "application";
      readonly group: MlsGroup;
      readonly epoch: bigint;
      readonly sender: Member;
      readonly plaintext: Uint8Array;
      readonly authenticatedData: Uint8Array;
    }
  | {
      /** Stored until a commit includes it; nothing changes yet. */
      readonly kind: "proposal";
      readonly group: MlsGroup;
      readonly epoch: bigint;
      readonly sender: HandshakeSender;
      readonly proposal: ProposalSummary;
    }
  | {
      readonly kind: "commit";
      readonly group: MlsGroup;
      /** The epoch the group is in after the commit. */
      readonly epoch: bigint;
      readonly sender: HandshakeSender;
      readonly proposals: readonly ProposalSummary[];
      readonly added: readonly Member[];
      readonly removed: readonly Member[];
      /** This device was removed: `group.active` is false and nothing later can be read. */
      readonly selfRemoved: boolean;
    };

function summarize(p: Proposal, before: ClientState, ownLeaf: number, senderLeaf: number | undefined): ProposalSummary {
  switch (p.proposalType) {
    case "add": {
      const m = memberOf(p.add.keyPackage.leafNode, -1);
      if (!m) throw new MlsOperationError("invalid_message", "an added KeyPackage has no Commune identity");
      return { type: "add", identity: m.identity, signaturePublicKey: m.signaturePublicKey };
    }
    case "remove": {
      const m = memberAt(before.ratchetTree, p.remove.removed);
      if (!m) throw new MlsOperationError("invalid_message", `remove of an empty leaf ${p.remove.removed}`);
      return { type: "remove", member: m, leaving: m.leafIndex === senderLeaf, self: m.leafIndex === ownLeaf };
    }
    case "update":
      return { type: "update", leafIndex: senderLeaf ?? -1 };
    case "external_init":
      return { type: "external_init" };
    case "psk":
    case "reinit":
    case "group_context_extensions":
      return { type: p.proposalType };
    default:
      return { type: "custom" };
  }
}

function senderMember(state: ClientState, leafIndex: number): Member {
  const m = memberAt(state.ratchetTree, leafIndex);
  if (!m) throw new MlsOperationError("invalid_message", `sender leaf ${leafIndex} is empty`);
  return m;
}

async function processApplication(group: MlsGroup, state: ClientState, ctx: Context, pm: PrivateMessage): Promise<Processed> {
  // ts-mls's processPrivateMessage does this too but does not say who sent the message
  const cfg = ctx.clientConfig.keyRetentionConfig;
  if (pm.epoch < state.groupContext.epoch) {
    const past = state.historicalReceiverData.get(pm.epoch);
    if (!past) throw new MlsOperationError("epoch_expired", `keys of epoch ${pm.epoch} are gone (group is at ${state.groupContext.epoch})`);
    const r = await unprotectPrivateMessage(past.senderDataSecret, pm, past.secretTree, past.ratchetTree, past.groupContext, cfg, ctx.impl);
    if (r.content.content.contentType !== "application") throw new MlsOperationError("invalid_message", "content type mismatch");
    const historicalReceiverData = new Map(state.historicalReceiverData).set(pm.epoch, { ...past, secretTree: r.tree });
    return {
      kind: "application",
      group: wrap({ ...state, historicalReceiverData }, ctx),
      epoch: pm.epoch,
      sender: senderMember({ ...state, ratchetTree: past.ratchetTree }, (r.content.content.sender as { leafIndex: number }).leafIndex),
      plaintext: r.content.content.applicationData,
      authenticatedData: pm.authenticatedData,
    };
  }
  const r = await unprotectPrivateMessage(state.keySchedule.senderDataSecret, pm, state.secretTree, state.ratchetTree, state.groupContext, cfg, ctx.impl);
  if (r.content.content.contentType !== "application") throw new MlsOperationError("invalid_message", "content type mismatch");
  return {
    kind: "application",
    group: wrap({ ...state, secretTree: r.tree }, ctx),
    epoch: pm.epoch,
    sender: senderMember(state, (r.content.content.sender as { leafIndex: number }).leafIndex),
    plaintext: r.content.content.applicationData,
    authenticatedData: pm.authenticatedData,
  };
}

function externalJoiner(message: MLSMessage): MemberIdentity | undefined {
  if (message.wireformat !== "mls_public_message") return undefined;
  const c = message.publicMessage.content;
  if (c.sender.senderType !== "new_member_commit" || c.contentType !== "commit" || !c.commit.path) return undefined;
  return memberOf(c.commit.path.leafNode, -1)?.identity;
}

async function processHandshake(group: MlsGroup, state: ClientState, ctx: Context, message: MLSMessage & { wireformat: "mls_public_message" | "mls_private_message" }, options: ProcessOptions): Promise<Processed> {
  const ownLeaf = state.privatePath.leafIndex;
  let seen: { kind: "commit" | "proposal"; sender: HandshakeSender; proposals: ProposalSummary[] } | undefined;
  let hookError: unknown;
  const senderOf = (leafIndex: number | undefined): HandshakeSender => {
    if (leafIndex !== undefined) return { type: "member", member: senderMember(state, leafIndex) };
    const identity = externalJoiner(message);
    if (!identity) throw new MlsOperationError("unsupported", "proposals and commits from outside the group are only accepted as external joins");
    return { type: "new_member", identity };
  };
  const callback = (
    incoming: { kind: "commit"; senderLeafIndex: number | undefined; proposals: ProposalWithSender[] } | { kind: "proposal"; proposal: ProposalWithSender },
  ): IncomingMessageAction => {
    try {
      if (incoming.kind === "commit") {
        const sender = senderOf(incoming.senderLeafIndex);
        seen = { kind: "commit", sender, proposals: incoming.proposals.map((p) => summarize(p.proposal, state, ownLeaf, p.senderLeafIndex)) };
      } else {
        const sender = senderOf(incoming.proposal.senderLeafIndex);
        seen = { kind: "proposal", sender, proposals: [summarize(incoming.proposal.proposal, state, ownLeaf, incoming.proposal.senderLeafIndex)] };
      }
      if (options.policy && !options.policy({ kind: seen.kind, sender: seen.sender, proposals: seen.proposals, group })) {
        hookError = new MlsOperationError("policy_rejected", `the room's policy refuses this ${seen.kind}`);
        return "reject";
      }
      return "accept";
    } catch (e) {
      hookError = e;
      return "reject";
    }
  };
  const result = await tsProcessMessage(message, state, emptyPskIndex, callback, ctx.impl);
  if (hookError) throw hookError;
  if (!seen || result.kind !== "newState" || result.actionTaken !== "accept") throw new MlsOperationError("internal", "handshake message was not processed");
  const next = result.newState;
  if (seen.kind === "proposal") {
    return { kind: "proposal", group: wrap(next, ctx), epoch: next.groupContext.epoch, sender: seen.sender, proposal: seen.proposals[0]! };
  }
  const selfRemoved = next.groupActiveState.kind === "removedFromGroup";
  const nextMembers = new Map((selfRemoved ? [] : treeMembers(next.ratchetTree)).map((m) => [bytesKey(m.signaturePublicKey), m]));
  const added: Member[] = [];
  for (const p of seen.proposals) {
    const m = p.type === "add" ? nextMembers.get(bytesKey(p.signaturePublicKey)) : undefined;
    if (m) added.push(m);
  }
  if (seen.sender.type === "new_member") {
    const before = new Set(treeMembers(state.ratchetTree).map((m) => bytesKey(m.signaturePublicKey)));
    for (const [key, m] of nextMembers) if (!before.has(key)) added.push(m);
  }
  return {
    kind: "commit",
    group: wrap(next, ctx, group.own),
    // ts-mls leaves a removed member's state at the old epoch; the group itself moved on
    epoch: selfRemoved ? state.groupContext.epoch + 1n : next.groupContext.epoch,
    sender: seen.sender,
    proposals: seen.proposals,
    added,
    removed: seen.proposals.flatMap((p) => (p.type === "remove" ? [p.member] : [])),
    selfRemoved,
  };
}

/**
 * Processes one message of the group, in the server's order. On failure the group is unchanged:
 * keep using the MlsGroup you passed. A commit for an epoch the group has left fails with
 * `stale_epoch`; one for a later epoch with `future_epoch` (fetch what came before).
 * Do not process your own commits: when the server accepts one, switch to the group from commit().
 */
export function processMessage(group: MlsGroup, bytes: Uint8Array, options: ProcessOptions = {}): Promise<MlsResult<Processed>> {
  return attempt(async () => {
    const { state, ctx } = unwrap(group);
    const message = decodeMessage(bytes);
    if (message.wireformat !== "mls_public_message" && message.wireformat !== "mls_private_message") {
      throw new MlsOperationError("malformed", `a ${message.wireformat} is not a group message (use joinWelcome / joinExternal)`);
    }
    const header = message.wireformat === "mls_public_message" ? message.publicMessage.content : message.privateMessage;
    if (!bytesEqual(header.groupId, state.groupContext.groupId)) throw new MlsOperationError("wrong_group", "the message belongs to another group");
    if (!group.active) throw new MlsOperationError("not_member", "this device is no longer a member of the group");
    const current = state.groupContext.epoch;
    if (header.epoch > current) throw new MlsOperationError("future_epoch", `message of epoch ${header.epoch}, group at ${current}: process the commits before it`);
    if (header.contentType === "application") {
      if (message.wireformat !== "mls_private_message") throw new MlsOperationError("invalid_message", "application data must be a PrivateMessage");
      return { result: await processApplication(group, state, ctx, message.privateMessage) };
    }
    if (header.epoch < current) throw new MlsOperationError("stale_epoch", `${header.contentType} for epoch ${header.epoch}, group already at ${current}`);
    if (message.wireformat === "mls_public_message" && header.contentType === "commit") {
      const sender = message.publicMessage.content.sender;
      if (sender.senderType === "member" && sender.leafIndex === state.privatePath.leafIndex) {
        throw new MlsOperationError("invalid_request", "this is this device's own commit: use the group returned by commit() once the server accepted it");
      }
    }
    return { result: await processHandshake(group, state, ctx, message, options) };
  }).then((r) => (r.ok ? { ok: true as const, ...r.result } : r));
}
