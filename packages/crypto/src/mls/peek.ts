/**
 * What anyone can read from an MLS message without being in the group: the server uses it to file
 * each message under its room and epoch, to accept one commit per epoch, and to apply the room's
 * roles (who may add, who may remove) to public handshake messages.
 *
 * Nothing here is authenticated — signatures and membership tags need the group's keys. The
 * server combines these claims with who uploaded the message; clients verify everything again.
 */
import type { Proposal, Sender } from "ts-mls";
import { toBase64Url } from "../encoding.ts";
import { fail, MlsOperationError, type MlsResult } from "./errors.ts";
import { parseIdentity, type MemberIdentity } from "./identity.ts";
import { isSuiteName } from "./suite.ts";
import { decodeMessage } from "./wire.ts";

export type ContentType = "application" | "proposal" | "commit";

export type PeekedSender =
  | { readonly type: "member"; readonly leafIndex: number }
  /** An external commit: someone joining by themselves; their identity is in the commit's path. */
  | { readonly type: "new_member_commit"; readonly identity: MemberIdentity | undefined }
  | { readonly type: "new_member_proposal" }
  | { readonly type: "external"; readonly senderIndex: number };

export type PeekedProposal =
  | { readonly type: "add"; readonly identity: MemberIdentity | undefined }
  | { readonly type: "remove"; readonly leafIndex: number }
  | { readonly type: "update" }
  | { readonly type: "external_init" }
  | { readonly type: "psk" | "reinit" | "group_context_extensions" | "custom" };

export type PeekedMessage =
  | {
      readonly wireformat: "public_message";
      readonly groupId: Uint8Array;
      /** The epoch the message was made in (for a commit: the epoch it moves the group out of). */
      readonly epoch: bigint;
      readonly contentType: ContentType;
      readonly sender: PeekedSender;
      /** Proposals carried in a commit or proposal; a commit may also reference earlier proposals. */
      readonly proposals: readonly PeekedProposal[];
      /** How many earlier proposals a commit includes by reference. */
      readonly proposalRefs: number;
      /** Whether a commit carries an UpdatePath (new keys for the committer's path). */
      readonly hasPath: boolean;
      /**
       * How many HPKE encryptions of path secrets that UpdatePath carries: one per node of the
       * resolution of the committer's copath — N−1 in a tree with no keys above the leaves, about
       * 2·log2(N) in a filled one. The main cost of building a commit in a large group.
       */
      readonly pathEncryptions: number;
    }
  | { readonly wireformat: "private_message"; readonly groupId: Uint8Array; readonly epoch: bigint; readonly contentType: ContentType }
  /** A Welcome names the KeyPackages it is for by ref: the server knows which device published each. */
  | { readonly wireformat: "welcome"; readonly suite: string; readonly keyPackageRefs: readonly string[] }
  | { readonly wireformat: "group_info"; readonly groupId: Uint8Array; readonly epoch: bigint; readonly suite: string }
  | { readonly wireformat: "key_package"; readonly suite: string; readonly identity: MemberIdentity | undefined };

function peekSender(sender: Sender, identity: MemberIdentity | undefined): PeekedSender {
  switch (sender.senderType) {
    case "member":
      return { type: "member", leafIndex: sender.leafIndex };
    case "external":
      return { type: "external", senderIndex: sender.senderIndex };
    case "new_member_proposal":
      return { type: "new_member_proposal" };
    case "new_member_commit":
      return { type: "new_member_commit", identity };
  }
}

function peekProposal(p: Proposal): PeekedProposal {
  switch (p.proposalType) {
    case "add": {
      const c = p.add.keyPackage.leafNode.credential;
      return { type: "add", identity: c.credentialType === "basic" ? parseIdentity(c.identity) : undefined };
    }
    case "remove":
      return { type: "remove", leafIndex: p.remove.removed };
    case "update":
      return { type: "update" };
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

/** Reads the header of any MLSMessage, without state and without verifying anything. Never throws. */
export function peekMessage(bytes: Uint8Array): MlsResult<{ readonly message: PeekedMessage }> {
  try {
    const m = decodeMessage(bytes);
    let message: PeekedMessage;
    switch (m.wireformat) {
      case "mls_public_message": {
        const c = m.publicMessage.content;
        const proposals: PeekedProposal[] = [];
        let proposalRefs = 0;
        let hasPath = false;
        let pathEncryptions = 0;
        let joiner: MemberIdentity | undefined;
        if (c.contentType === "commit") {
          for (const p of c.commit.proposals) {
            if (p.proposalOrRefType === "proposal") proposals.push(peekProposal(p.proposal));
            else proposalRefs++;
          }
          hasPath = c.commit.path !== undefined;
          for (const node of c.commit.path?.nodes ?? []) pathEncryptions += node.encryptedPathSecret.length;
          const cred = c.commit.path?.leafNode.credential;
          if (cred?.credentialType === "basic") joiner = parseIdentity(cred.identity);
        } else if (c.contentType === "proposal") {
          proposals.push(peekProposal(c.proposal));
        }
        message = { wireformat: "public_message", groupId: c.groupId, epoch: c.epoch, contentType: c.contentType, sender: peekSender(c.sender, joiner), proposals, proposalRefs, hasPath, pathEncryptions };
        break;
      }
      case "mls_private_message": {
        const p = m.privateMessage;
        message = { wireformat: "private_message", groupId: p.groupId, epoch: p.epoch, contentType: p.contentType };
        break;
      }
      case "mls_welcome":
        message = { wireformat: "welcome", suite: m.welcome.cipherSuite, keyPackageRefs: m.welcome.secrets.map((s) => toBase64Url(s.newMember)) };
        break;
      case "mls_group_info": {
        const gc = m.groupInfo.groupContext;
        message = { wireformat: "group_info", groupId: gc.groupId, epoch: gc.epoch, suite: gc.cipherSuite };
        break;
      }
      case "mls_key_package": {
        const c = m.keyPackage.leafNode.credential;
        message = { wireformat: "key_package", suite: m.keyPackage.cipherSuite, identity: c.credentialType === "basic" ? parseIdentity(c.identity) : undefined };
        break;
      }
    }
    if ("suite" in message && !isSuiteName(message.suite)) return fail("unsupported", `cipher suite ${message.suite} is not one Commune uses`);
    return { ok: true, message };
  } catch (e) {
    if (e instanceof MlsOperationError) return fail(e.code, e.message);
    return fail("malformed", e instanceof Error ? e.message : "not an MLS message");
  }
}
