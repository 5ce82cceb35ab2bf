/**
 * The room's rules (policy.ts) on real MLS groups, without a server: the rules a real server cannot
 * be made to break in an integration test (it refuses commits from non-members itself) are checked
 * here — a committer outside the list, an outsider's external join, a third person in a direct loop
 * — with the allowed removals beside them, and the member list rebuilt along the log.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  commit,
  createGroup,
  generateKeyPackages,
  generateSignatureKeyPair,
  groupInfo,
  joinExternal,
  joinWelcome,
  processMessage,
  type MemberCredentials,
  type MlsGroup,
  type MlsResult,
} from "@commune/crypto/mls";
import type { RoomMembership } from "@commune/protocol";
import { checkCommit, type PolicyBreach, type RoomRules } from "../src/loops/policy.ts";
import { membersBefore } from "../src/loops/policy-guard.ts";

interface Device {
  readonly credentials: MemberCredentials;
  group?: MlsGroup;
}

async function device(accountId: string, deviceId = `${accountId}-d1`): Promise<Device> {
  return { credentials: { identity: { accountId, deviceId }, signatureKeys: await generateSignatureKeyPair() } };
}

function must<T extends object>(result: MlsResult<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

/** `first` creates the group and adds the others in one commit; everyone joins. */
async function groupOf(first: Device, others: readonly Device[]): Promise<void> {
  first.group = must(await createGroup(new TextEncoder().encode("room"), first.credentials)).group;
  if (others.length === 0) return;
  const packages = await Promise.all(others.map(async (d) => (await generateKeyPackages(d.credentials, 1))[0]!));
  const added = must(await commit(first.group, { add: packages.map((p) => p.keyPackage) }));
  first.group = added.group;
  for (const [i, d] of others.entries()) d.group = must(await joinWelcome(added.welcome!, packages[i]!.secret)).group;
}

/** Processes a commit at `receiver` under `rules`; returns the breach found (null: accepted and applied). */
async function receive(receiver: Device, bytes: Uint8Array, rules: RoomRules): Promise<PolicyBreach | null> {
  let found: PolicyBreach | null = null;
  const result = await processMessage(receiver.group!, bytes, {
    policy: (change) => {
      found = change.kind === "commit" ? checkCommit(change, rules) : null;
      return found === null;
    },
  });
  if (result.ok) receiver.group = result.group;
  else assert.equal(result.error.code, "policy_rejected");
  return found;
}

const rules = (kind: RoomRules["kind"], members: string[], devices: Record<string, string[]> = {}): RoomRules => ({
  kind,
  members: new Set(members),
  devices: new Map(Object.entries(devices).map(([a, ds]) => [a, new Set(ds)])),
});

describe("the room's rules on real MLS commits", () => {
  it("refuses a commit whose committer is not in the list, and accepts it from a member", async () => {
    const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
    await groupOf(alice!, [bob!, carol!]);
    const update = must(await commit(bob!.group!));
    // the server says bob left before this commit (but did not stop it)
    assert.deepEqual(await receive(carol!, update.commit, rules("group", ["alice", "carol"])), { rule: "committer_not_member", accountId: "bob", deviceId: "bob-d1" });
    assert.equal(carol!.group!.epoch, 1n, "the refused commit changed nothing");
    assert.equal(await receive(carol!, update.commit, rules("group", ["alice", "bob", "carol"])), null);
    assert.equal(carol!.group!.epoch, 2n);
  });

  it("allows removing someone out of the list, one's own other device, or a device the account no longer has", async () => {
    const [alice, bob, bobPhone, carol] = await Promise.all([device("alice"), device("bob"), device("bob", "bob-d2"), device("carol")]);
    await groupOf(alice!, [bob!, bobPhone!, carol!]);
    const everyone = ["alice", "bob", "carol"];
    const devices = { alice: ["alice-d1"], bob: ["bob-d1", "bob-d2"], carol: ["carol-d1"] };
    // alice removes carol, whom the list still names
    const kick = must(await commit(alice!.group!, { remove: [{ accountId: "carol" }] }));
    assert.equal((await receive(bob!, kick.commit, rules("group", everyone, devices)))?.rule, "member_removed");
    // carol is out of the list: the same commit is the point
    assert.equal(await receive(bob!, kick.commit, rules("group", ["alice", "bob"], devices)), null);
    alice!.group = kick.group;
    // bob removes his own other device
    const own = must(await commit(bob!.group!, { remove: [{ accountId: "bob", deviceId: "bob-d2" }] }));
    assert.equal(await receive(alice!, own.commit, rules("group", ["alice", "bob"], devices)), null);
    bob!.group = own.group;
    // alice removes a device of bob's that his account no longer has — but not one it still has
    const bobLaptop = await device("bob", "bob-d3");
    const [pkg] = await generateKeyPackages(bobLaptop.credentials, 1);
    const added = must(await commit(alice!.group!, { add: [pkg!.keyPackage] }));
    alice!.group = added.group;
    bob!.group = must(await processMessage(bob!.group!, added.commit)).group;
    const tidy = must(await commit(alice!.group!, { remove: [{ accountId: "bob", deviceId: "bob-d3" }] }));
    assert.equal((await receive(bob!, tidy.commit, rules("group", ["alice", "bob"], { alice: ["alice-d1"], bob: ["bob-d1", "bob-d3"] })))?.rule, "member_removed");
    assert.equal(await receive(bob!, tidy.commit, rules("group", ["alice", "bob"], { alice: ["alice-d1"], bob: ["bob-d1"] })), null);
  });

  it("refuses an outsider's external join and a third person in a direct loop", async () => {
    const [alice, bob, dora] = await Promise.all(["alice", "bob", "dora"].map((n) => device(n)));
    await groupOf(alice!, [bob!]);
    const info = must(await groupInfo(alice!.group!)).groupInfo;
    const joined = must(await joinExternal(info, dora!.credentials));
    assert.equal((await receive(bob!, joined.commit, rules("group", ["alice", "bob"])))?.rule, "outsider_joined");
    // in a direct loop, even a list naming three is not enough
    assert.equal((await receive(bob!, joined.commit, rules("direct", ["alice", "bob", "dora"])))?.rule, "direct_overflow");
    assert.equal(await receive(bob!, joined.commit, rules("group", ["alice", "bob", "dora"])), null);
  });

  it("rebuilds the member list just before each event from the history", () => {
    const membership: RoomMembership = {
      roomId: "room",
      kind: "group",
      base: 3,
      lastSeq: 9,
      members: ["alice", "bob"],
      changes: [
        { seq: 4, accountId: "bob", added: false },
        { seq: 6, accountId: "carol", added: true },
        { seq: 6, accountId: "bob", added: true },
      ],
    };
    assert.equal(membersBefore(membership, 3), null, "before the history this account may see");
    assert.deepEqual([...membersBefore(membership, 4)!].sort(), ["alice", "bob"]);
    assert.deepEqual([...membersBefore(membership, 5)!].sort(), ["alice"]);
    assert.deepEqual([...membersBefore(membership, 7)!].sort(), ["alice", "bob", "carol"]);
  });
});
