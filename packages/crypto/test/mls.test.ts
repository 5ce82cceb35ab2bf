/**
 * MLS groups as the loops use them, over both cipher suites: joining by Welcome and by external
 * commit, removal and leaving, conflicts between commits, saved state, hostile bytes, policy.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as mls from "../src/mls/index.ts";
import { decoder, deliver, device, encoder, failure, groupOf, must, send, type Device } from "./mls-helpers.ts";

for (const suite of mls.SUITES) {
  describe(`MLS groups, ${suite}`, () => {
    it("four members: Welcome join, messages both ways with the sender's identity", async () => {
      const [alice, bob, carol, dave] = await Promise.all(["alice", "bob", "carol", "dave"].map((n) => device(n)));
      await groupOf(suite, [alice!, bob!, carol!, dave!]);
      for (const d of [alice!, bob!, carol!, dave!]) {
        assert.equal(d.group!.epoch, 1n);
        assert.equal(d.group!.memberCount, 4);
        assert.equal(d.group!.suite, suite);
      }
      assert.deepEqual(
        mls.members(dave!.group!).map((m) => `${m.leafIndex}:${m.identity.accountId}`),
        ["0:alice", "1:bob", "2:carol", "3:dave"],
      );
      const m1 = await send(alice!, "hello from alice");
      for (const r of await deliver(m1, [bob!, carol!, dave!])) {
        assert.equal(r.kind, "application");
        if (r.kind !== "application") continue;
        assert.equal(decoder.decode(r.plaintext), "hello from alice");
        assert.deepEqual(r.sender.identity, { accountId: "alice", deviceId: "d1" });
        assert.equal(r.epoch, 1n);
      }
      const m2 = await send(carol!, "and carol");
      const [r2] = await deliver(m2, [alice!]);
      assert.ok(r2?.kind === "application" && r2.sender.leafIndex === 2 && decoder.decode(r2.plaintext) === "and carol");
    });

    it("a removed member cannot read what is sent afterwards", async () => {
      const devices = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
      const [alice, bob, carol] = devices as [Device, Device, Device];
      await groupOf(suite, devices);
      const carolBefore = carol.group!;
      const removal = must(await mls.commitRemove(alice.group!, [{ accountId: "carol" }]));
      assert.deepEqual(removal.removed.map((m) => m.identity.accountId), ["carol"]);
      alice.group = removal.group;
      const [atBob] = await deliver(removal.commit, [bob]);
      assert.ok(atBob?.kind === "commit" && !atBob.selfRemoved && atBob.removed[0]?.identity.accountId === "carol");
      const [atCarol] = await deliver(removal.commit, [carol]);
      assert.ok(atCarol?.kind === "commit" && atCarol.selfRemoved);
      assert.equal(carol.group!.active, false);
      assert.equal(atCarol.epoch, 2n);

      const secret = await send(alice, "after carol left");
      const [atBob2] = await deliver(secret, [bob]);
      assert.ok(atBob2?.kind === "application" && decoder.decode(atBob2.plaintext) === "after carol left");
      assert.equal(failure(await mls.processMessage(carol.group!, secret)).code, "not_member");
      // with the state from before her removal she is an epoch behind and holds no key of epoch 2
      assert.equal(failure(await mls.processMessage(carolBefore, secret)).code, "future_epoch");
      assert.equal(failure(await mls.encrypt(carol.group!, encoder.encode("x"))).code, "not_member");
      assert.equal(failure(await mls.commitUpdate(carol.group!)).code, "not_member");
    });

    it("leaving: a remove proposal for oneself, committed by another member", async () => {
      const devices = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
      const [alice, bob, carol] = devices as [Device, Device, Device];
      await groupOf(suite, devices);
      assert.equal(failure(await mls.commitRemove(carol.group!, [carol.group!.own.leafIndex])).code, "invalid_request");
      const leave = must(await mls.proposeLeave(carol.group!));
      carol.group = leave.group;
      const [proposal] = await deliver(leave.proposal, [alice, bob]);
      assert.ok(proposal?.kind === "proposal" && proposal.proposal.type === "remove" && proposal.proposal.member.identity.accountId === "carol");
      const c = must(await mls.commitUpdate(bob.group!));
      assert.deepEqual(c.removed.map((m) => m.identity.accountId), []); // it came by reference
      bob.group = c.group;
      const [atAlice] = await deliver(c.commit, [alice]);
      assert.ok(atAlice?.kind === "commit" && atAlice.removed.map((m) => m.identity.accountId).join() === "carol");
      const [atCarol] = await deliver(c.commit, [carol]);
      assert.ok(atCarol?.kind === "commit" && atCarol.selfRemoved);
      assert.equal(alice.group!.memberCount, 2);
      assert.equal(alice.group!.epoch, bob.group!.epoch);
    });

    it("external join from a GroupInfo, by the joiner alone", async () => {
      const devices = await Promise.all(["alice", "bob"].map((n) => device(n)));
      const [alice, bob] = devices as [Device, Device];
      await groupOf(suite, devices);
      const info = must(await mls.groupInfo(alice.group!)).groupInfo;
      const peeked = must(mls.peekMessage(info)).message;
      assert.ok(peeked.wireformat === "group_info" && peeked.epoch === 1n && peeked.suite === suite);
      const erin = await device("erin");
      const joined = must(await mls.joinExternal(info, erin.credentials));
      erin.group = joined.group;
      const head = must(mls.peekMessage(joined.commit)).message;
      assert.ok(head.wireformat === "public_message" && head.contentType === "commit" && head.epoch === 1n);
      assert.ok(head.sender.type === "new_member_commit" && head.sender.identity?.accountId === "erin");
      for (const r of await deliver(joined.commit, [alice, bob])) {
        assert.ok(r.kind === "commit" && r.sender.type === "new_member" && r.sender.identity.accountId === "erin");
        assert.deepEqual(r.added.map((m) => m.identity.accountId), ["erin"]);
      }
      const hi = await send(erin, "erin is here");
      const [atAlice] = await deliver(hi, [alice]);
      assert.ok(atAlice?.kind === "application" && atAlice.sender.identity.accountId === "erin");
      const back = await send(bob, "welcome erin");
      const [atErin] = await deliver(back, [erin]);
      assert.ok(atErin?.kind === "application" && decoder.decode(atErin.plaintext) === "welcome erin");
    });

    it("saved and restored in the middle of a conversation", async () => {
      const devices = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
      const [alice, bob, carol] = devices as [Device, Device, Device];
      await groupOf(suite, devices);
      await deliver(await send(alice, "one"), [bob, carol]);
      const saved = mls.encodeState(bob.group!);
      const restored = must(await mls.decodeState(saved)).group;
      assert.equal(restored.epoch, bob.group!.epoch);
      assert.deepEqual(restored.own, bob.group!.own);
      assert.deepEqual(mls.members(restored), mls.members(bob.group!));
      assert.deepEqual(mls.encodeState(restored), saved);
      bob.group = restored;
      await deliver(await send(alice, "two"), [bob, carol]);
      const c = must(await mls.commitUpdate(bob.group));
      bob.group = c.group;
      await deliver(c.commit, [alice, carol]);
      const [r] = await deliver(await send(bob, "three"), [alice]);
      assert.ok(r?.kind === "application" && decoder.decode(r.plaintext) === "three");
      // with an unapplied proposal
      const pending = must(await mls.proposeLeave(carol.group!)).group;
      assert.deepEqual(mls.encodeState(must(await mls.decodeState(mls.encodeState(pending))).group), mls.encodeState(pending));
      // a removed member's state saves and restores as removed
      const gone = must(await mls.commitRemove(alice.group!, [{ accountId: "carol" }]));
      await deliver(gone.commit, [carol]);
      const carolRestored = must(await mls.decodeState(mls.encodeState(carol.group!))).group;
      assert.equal(carolRestored.active, false);
      assert.equal(carolRestored.own.identity.accountId, "carol");
    });

    it("two commits for one epoch: the loser recognises the conflict and converges", async () => {
      const devices = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
      const [alice, bob, carol] = devices as [Device, Device, Device];
      await groupOf(suite, devices);
      const dave = await device("dave");
      const [davePackage] = await mls.generateKeyPackages(dave.credentials, 1, { suite });
      const fromAlice = must(await mls.commitRemove(alice.group!, [{ accountId: "carol" }]));
      const fromBob = must(await mls.commitAdd(bob.group!, [davePackage!.keyPackage]));
      for (const c of [fromAlice.commit, fromBob.commit]) {
        const head = must(mls.peekMessage(c)).message;
        assert.ok(head.wireformat === "public_message" && head.epoch === 1n && head.contentType === "commit");
      }
      // the server accepts alice's; carol and bob process it
      alice.group = fromAlice.group;
      await deliver(fromAlice.commit, [bob, carol]);
      // bob's own commit is now for a past epoch everywhere
      const stale = failure(await mls.processMessage(alice.group, fromBob.commit));
      assert.equal(stale.code, "stale_epoch");
      // bob builds his change again on the new epoch
      const retry = must(await mls.commitAdd(bob.group!, [davePackage!.keyPackage]));
      bob.group = retry.group;
      await deliver(retry.commit, [alice]);
      dave.group = must(await mls.joinWelcome(retry.welcome!, davePackage!.secret)).group;
      assert.equal(alice.group!.epoch, 3n);
      assert.equal(dave.group.epoch, 3n);
      assert.deepEqual(mls.members(alice.group!).map((m) => m.identity.accountId).sort(), ["alice", "bob", "dave"]);
      // and a commit from the future is recognisable too
      const ahead = must(await mls.commitUpdate(alice.group!));
      const bobBehind = fromBob.group; // never accepted: it is at epoch 2 of a history that did not happen
      assert.equal(failure(await mls.processMessage(bobBehind, ahead.commit)).code, "future_epoch");
      // own commits are not processed, they are applied
      assert.equal(failure(await mls.processMessage(alice.group!, ahead.commit)).code, "invalid_request");
    });

    it("tampered, truncated or foreign bytes fail with a typed error and no throw", async () => {
      const devices = await Promise.all(["alice", "bob"].map((n) => device(n)));
      const [alice, bob] = devices as [Device, Device];
      await groupOf(suite, devices);
      const message = await send(alice, "x".repeat(300));
      const flip = (bytes: Uint8Array, at: number) => {
        const copy = bytes.slice();
        copy[at] = copy[at]! ^ 0x01;
        return copy;
      };
      assert.equal(failure(await mls.processMessage(bob.group!, flip(message, message.length - 5))).code, "decrypt_failed");
      assert.equal(failure(await mls.processMessage(bob.group!, message.subarray(0, message.length - 1))).code, "malformed");
      assert.equal(failure(await mls.processMessage(bob.group!, new Uint8Array([...message, 0]))).code, "malformed");
      assert.equal(failure(await mls.processMessage(bob.group!, new Uint8Array(0))).code, "malformed");
      // the untouched message still decrypts afterwards: failures leave the state as it was
      const [ok] = await deliver(message, [bob]);
      assert.ok(ok?.kind === "application" && ok.plaintext.length === 300);
      assert.equal(failure(await mls.processMessage(bob.group!, message)).code, "duplicate");
      // another group's message
      const other = await device("zed");
      const otherGroup = must(await mls.createGroup(encoder.encode("room-2"), other.credentials, { suite })).group;
      const foreign = must(await mls.encrypt(otherGroup, encoder.encode("elsewhere"))).message;
      assert.equal(failure(await mls.processMessage(bob.group!, foreign)).code, "wrong_group");

      const fresh = await send(alice, "property");
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: fresh.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
          const bytes = fresh.slice();
          bytes[at] = bytes[at]! ^ xor;
          const r = await mls.processMessage(bob.group!, bytes);
          // a change in the unauthenticated padding of the TLS framing could in principle decode to
          // the same message; anything else must fail, with a code
          if (r.ok) assert.ok(r.kind === "application" && decoder.decode(r.plaintext) === "property");
          else assert.equal(typeof r.error.code, "string");
        }),
        { numRuns: suite === mls.DEFAULT_SUITE ? 60 : 25 },
      );
    });

    it("a room policy refuses a commit the server should not have accepted", async () => {
      const devices = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
      const [alice, bob, carol] = devices as [Device, Device, Device];
      await groupOf(suite, devices);
      const organizers = new Set(["alice"]);
      const policy: mls.PolicyHook = ({ sender, proposals }) =>
        proposals.every((p) => {
          if (p.type === "add") return sender.type === "member" && organizers.has(sender.member.identity.accountId);
          if (p.type === "remove") return p.leaving || (sender.type === "member" && organizers.has(sender.member.identity.accountId));
          return true;
        });
      const mallory = await device("mallory");
      const [pkg] = await mls.generateKeyPackages(mallory.credentials, 1, { suite });
      const byBob = must(await mls.commitAdd(bob.group!, [pkg!.keyPackage]));
      const refused = failure(await mls.processMessage(carol.group!, byBob.commit, { policy }));
      assert.equal(refused.code, "policy_rejected");
      assert.equal(carol.group!.epoch, 1n);
      const byAlice = must(await mls.commitAdd(alice.group!, [pkg!.keyPackage]));
      const [accepted] = await deliver(byAlice.commit, [carol], { policy });
      assert.ok(accepted?.kind === "commit" && accepted.added[0]?.identity.accountId === "mallory");
      // leaving is allowed to anyone
      await deliver(byAlice.commit, [bob]);
      const leave = must(await mls.proposeLeave(bob.group!));
      const [p] = await deliver(leave.proposal, [carol], { policy: (c) => (c.kind === "proposal" ? policy(c) : false) });
      assert.equal(p?.kind, "proposal");
    });

    it("the credential hook can refuse a member's key", async () => {
      const devices = await Promise.all(["alice", "bob"].map((n) => device(n)));
      const [alice, bob] = devices as [Device, Device];
      const known = new Map<string, Uint8Array>();
      known.set("alice", alice.credentials.signatureKeys.publicKey);
      known.set("bob", bob.credentials.signatureKeys.publicKey);
      const authenticate: mls.AuthenticateHook = (id, key) => {
        const k = known.get(id.accountId);
        return k !== undefined && k.every((b, i) => b === key[i]);
      };
      await groupOf(suite, devices, { authenticate });
      const impostor = { identity: { accountId: "bob", deviceId: "d2" }, signatureKeys: await mls.generateSignatureKeyPair() };
      const [pkg] = await mls.generateKeyPackages(impostor, 1, { suite });
      assert.equal(failure(await mls.commitAdd(alice.group!, [pkg!.keyPackage])).code, "unauthenticated");
    });
  });
}

describe("crypto providers", () => {
  for (const suite of mls.SUITES) {
    it(`${suite}: a member on ts-mls's own WebCrypto provider and one on Commune's talk to each other`, async () => {
      const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
      alice!.group = must(await mls.createGroup(encoder.encode("mixed"), alice!.credentials, { suite, provider: "ts-mls" })).group;
      const [bobPkg] = await mls.generateKeyPackages(bob!.credentials, 1, { suite, provider: "ts-mls" });
      const [carolPkg] = await mls.generateKeyPackages(carol!.credentials, 1, { suite });
      const c = must(await mls.commitAdd(alice!.group, [bobPkg!.keyPackage, carolPkg!.keyPackage]));
      alice!.group = c.group;
      bob!.group = must(await mls.joinWelcome(c.welcome!, bobPkg!.secret)).group; // Commune's provider
      carol!.group = must(await mls.joinWelcome(c.welcome!, carolPkg!.secret, { provider: "ts-mls" })).group;
      const u = must(await mls.commitUpdate(bob!.group));
      bob!.group = u.group;
      await deliver(u.commit, [alice!, carol!]);
      const [r] = await deliver(await send(carol!, "across providers"), [alice!]);
      assert.ok(r?.kind === "application" && decoder.decode(r.plaintext) === "across providers");
      const [r2] = await deliver(await send(alice!, "and back"), [bob!]);
      assert.ok(r2?.kind === "application" && decoder.decode(r2.plaintext) === "and back");
    });
  }
});

describe("key packages", () => {
  it("are self-signed, carry the identity, and one of a batch may be last-resort", async () => {
    const d = await device("acc_1", "dev-2");
    const batch = await mls.generateKeyPackages(d.credentials, 3, { lastResort: true });
    assert.deepEqual(batch.map((p) => p.lastResort), [false, false, true]);
    for (const p of batch) {
      const info = must(await mls.inspectKeyPackage(p.keyPackage));
      assert.deepEqual(info.identity, { accountId: "acc_1", deviceId: "dev-2" });
      assert.equal(info.ref, p.ref);
      assert.equal(info.lastResort, p.lastResort);
      assert.equal(info.suite, mls.DEFAULT_SUITE);
      assert.deepEqual(info.signaturePublicKey, d.credentials.signatureKeys.publicKey);
      assert.ok(info.notAfter - info.notBefore > 80 * 86_400);
    }
    assert.equal(new Set(batch.map((p) => p.ref)).size, 3);
    const tampered = batch[0]!.keyPackage.slice();
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1; // inside the signature
    assert.equal(failure(await mls.inspectKeyPackage(tampered)).code, "invalid_key_package");
    assert.equal(failure(await mls.inspectKeyPackage(new Uint8Array([0, 1, 0, 5]))).code, "invalid_key_package");
  });

  it("the Welcome names the packages it is for; another device's secret is refused", async () => {
    const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
    const created = must(await mls.createGroup(encoder.encode("r"), alice!.credentials)).group;
    const [bobPkg] = await mls.generateKeyPackages(bob!.credentials, 1);
    const [carolPkg] = await mls.generateKeyPackages(carol!.credentials, 1);
    const c = must(await mls.commitAdd(created, [bobPkg!.keyPackage]));
    const head = must(mls.peekMessage(c.welcome!)).message;
    assert.ok(head.wireformat === "welcome");
    assert.deepEqual(head.keyPackageRefs, [bobPkg!.ref]);
    assert.equal(failure(await mls.joinWelcome(c.welcome!, carolPkg!.secret)).code, "not_for_us");
    assert.equal(failure(await mls.commitAdd(c.group, [bobPkg!.keyPackage])).code, "invalid_key_package"); // already in
    const x = (await mls.generateKeyPackages(carol!.credentials, 1, { suite: "MLS_256_XWING_AES256GCM_SHA512_Ed25519" }))[0]!;
    assert.equal(failure(await mls.commitAdd(c.group, [x.keyPackage])).code, "invalid_key_package"); // other suite
  });
});

describe("identities", () => {
  it("encode as accountId:deviceId and parse back; anything else is refused", () => {
    const bytes = mls.encodeIdentity({ accountId: "a-B_9", deviceId: "x" });
    assert.equal(decoder.decode(bytes), "a-B_9:x");
    assert.deepEqual(mls.parseIdentity(bytes), { accountId: "a-B_9", deviceId: "x" });
    for (const bad of ["a", "a:", ":b", "a:b:c", "a b:c", "ä:b", `${"a".repeat(65)}:b`]) {
      assert.equal(mls.parseIdentity(encoder.encode(bad)), undefined, bad);
    }
    assert.equal(mls.parseIdentity(new Uint8Array([0x61, 0x3a, 0xff])), undefined);
    assert.throws(() => mls.encodeIdentity({ accountId: "a:b", deviceId: "c" }), TypeError);
  });
});

describe("peekMessage", () => {
  it("reads wire format, group, epoch and content type without state, and refuses garbage", async () => {
    const [alice, bob] = await Promise.all(["alice", "bob"].map((n) => device(n)));
    await groupOf(mls.DEFAULT_SUITE, [alice!, bob!]);
    const app = await send(alice!, "hi");
    const p = must(mls.peekMessage(app)).message;
    assert.ok(p.wireformat === "private_message" && p.epoch === 1n && p.contentType === "application");
    assert.equal(decoder.decode(p.groupId), "room-1");
    const c = must(await mls.commitRemove(alice!.group!, [1]));
    const h = must(mls.peekMessage(c.commit)).message;
    assert.ok(h.wireformat === "public_message" && h.contentType === "commit" && h.hasPath && h.epoch === 1n);
    assert.equal(h.pathEncryptions, 0, "no one is left to send the new keys to");
    assert.deepEqual(h.proposals, [{ type: "remove", leafIndex: 1 }]);
    assert.deepEqual(h.sender, { type: "member", leafIndex: 0 });
    const kp = (await mls.generateKeyPackages(bob!.credentials, 1))[0]!;
    const k = must(mls.peekMessage(kp.keyPackage)).message;
    assert.ok(k.wireformat === "key_package" && k.identity?.accountId === "bob");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = mls.peekMessage(bytes);
        if (!r.ok) assert.ok(["malformed", "unsupported"].includes(r.error.code));
      }),
      { numRuns: 500 },
    );
    for (let cut = 0; cut < app.length; cut += 7) assert.equal(mls.peekMessage(app.subarray(0, cut)).ok, false);
  });
});
