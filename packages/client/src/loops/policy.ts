/**
 * The room's rules, as every member's device checks them on what it receives. The server decides
 * who is in a loop (from organization roles and circles) and tells each device its member list
 * along the log; a commit must match that list where it sits in the log:
 *
 * - its committer is a member (an external join: the joiner is one);
 * - it adds only devices of accounts in the list;
 * - it removes only leaves of accounts out of the list, a member's own leave, the committer's
 *   own other devices, or devices their account no longer has;
 * - a direct loop never holds more than two people;
 * - it carries none of the proposals Commune never makes (pre-shared keys, re-initialisation,
 *   group context extensions — which could, for example, let the server inject proposals as an
 *   "external sender" — or unknown ones).
 *
 * The server accepts any commit of a room member without reading its proposals; a device that
 * finds one breaking these rules does not apply it (see policy-guard.ts): a lying server, or a
 * member going around the server's list, is detected, not obeyed.
 */
import { members, type HandshakeSender, type Member, type MlsGroup, type PolicyHook, type ProposalSummary } from "@commune/crypto/mls";

/** Which rule a refused commit broke. */
export type PolicyRule =
  /** The committer's account is not in the room's member list. */
  | "committer_not_member"
  /** It adds a device of an account that is not in the room's member list. */
  | "outsider_added"
  /** It removes a device of an account that is still in the list (not a leave, not the committer's own device). */
  | "member_removed"
  /** An external join by an account that is not in the list, or one that adds or removes anyone but the joiner's own old leaf. */
  | "outsider_joined"
  /** A direct loop would hold more than two people. */
  | "direct_overflow"
  /** A proposal Commune never makes (psk, reinit, group context extensions, unknown). */
  | "forbidden_proposal"
  /** A Welcome into a group holding devices of accounts that were never in the list since this account entered. */
  | "outsider_in_group";

export interface PolicyBreach {
  readonly rule: PolicyRule;
  /** The device the rule is about (the outsider added, the member removed, the committer). */
  readonly accountId?: string;
  readonly deviceId?: string;
}

export interface RoomRules {
  readonly kind: "circle" | "group" | "direct";
  /** Accounts in the room's member list just before the commit, in the log's order. */
  readonly members: ReadonlySet<string>;
  /**
   * Devices each account *currently* in the room has now. A removal of a device of a listed
   * account is allowed when the device is gone; accounts missing here have left since.
   */
  readonly devices: ReadonlyMap<string, ReadonlySet<string>>;
}

type Change = Parameters<PolicyHook>[0];

const breach = (rule: PolicyRule, who?: { readonly accountId: string; readonly deviceId: string }): PolicyBreach =>
  who ? { rule, accountId: who.accountId, deviceId: who.deviceId } : { rule };

function senderIdentity(sender: HandshakeSender) {
  return sender.type === "member" ? sender.member.identity : sender.identity;
}

function removalAllowed(target: Member, leaving: boolean, sender: HandshakeSender, rules: RoomRules): boolean {
  const { accountId, deviceId } = target.identity;
  if (!rules.members.has(accountId)) return true; // out of the list: removing it is the point
  if (leaving) return true; // the member asked for its own removal
  if (sender.type === "member" && sender.member.identity.accountId === accountId) return true; // one's own other device
  const now = rules.devices.get(accountId);
  // left the room since (its leaves are on their way out), or this device was removed from the account
  return now === undefined || !now.has(deviceId);
}

function directOverflow(change: Change): boolean {
  const removed = new Set(change.proposals.flatMap((p) => (p.type === "remove" ? [p.member.leafIndex] : [])));
  const accounts = new Set(members(change.group).filter((m) => !removed.has(m.leafIndex)).map((m) => m.identity.accountId));
  for (const p of change.proposals) if (p.type === "add") accounts.add(p.identity.accountId);
  if (change.sender.type === "new_member") accounts.add(change.sender.identity.accountId);
  return accounts.size > 2;
}

/**
 * Checks a commit against the room's rules; null when it keeps them. `change` is what the MLS
 * layer's policy hook receives (processMessage's `policy` option). Proposals sent on their own
 * are not judged here: they change nothing until a commit includes them, and that commit is.
 */
export function checkCommit(change: Change, rules: RoomRules): PolicyBreach | null {
  const sender = senderIdentity(change.sender);
  for (const p of change.proposals) {
    if (p.type === "psk" || p.type === "reinit" || p.type === "group_context_extensions" || p.type === "custom") return breach("forbidden_proposal", sender);
  }
  if (change.sender.type === "new_member") {
    if (!rules.members.has(sender.accountId)) return breach("outsider_joined", sender);
    // a device joining by itself brings only itself, replacing at most its own old leaf
    const overreach = change.proposals.find(
      (p: ProposalSummary) => p.type === "add" || (p.type === "remove" && (p.member.identity.accountId !== sender.accountId || p.member.identity.deviceId !== sender.deviceId)),
    );
    if (overreach) return breach("outsider_joined", sender);
  } else if (!rules.members.has(sender.accountId)) {
    return breach("committer_not_member", sender);
  }
  for (const p of change.proposals) {
    if (p.type === "add" && !rules.members.has(p.identity.accountId)) return breach("outsider_added", p.identity);
    if (p.type === "remove" && !removalAllowed(p.member, p.leaving, change.sender, rules)) return breach("member_removed", p.member.identity);
  }
  if (rules.kind === "direct" && directOverflow(change)) return breach("direct_overflow", sender);
  return null;
}

/**
 * Checks the group a Welcome brought this device into: every device in it must belong to an
 * account that has been in the room's list since this account entered (`allowed`). An honest
 * commit adds the newcomers and removes everyone who left in the same commit, so nothing else
 * can be in the tree.
 */
export function checkJoinedGroup(group: MlsGroup, kind: RoomRules["kind"], allowed: ReadonlySet<string>): PolicyBreach | null {
  const tree = members(group);
  const outsider = tree.find((m) => !allowed.has(m.identity.accountId));
  if (outsider) return breach("outsider_in_group", outsider.identity);
  if (kind === "direct" && new Set(tree.map((m) => m.identity.accountId)).size > 2) return breach("direct_overflow");
  return null;
}
