/**
 * Clients check commits against the room's rules. The server accepts any commit of a room member
 * without reading its proposals; here a member's device goes around the server's member list and
 * commits the add of an outsider's device through the real API. Every honest device refuses the
 * commit, stays where it was, agrees with the others, says why, and sends nothing the outsider
 * could read; a newcomer welcomed into that group refuses it too. Honest histories (people who
 * left and came back while a device was away) never trip the rules, and the member list's history
 * is shown to a member only from the moment they entered.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fromBase64Url, toBase64Url } from "@commune/crypto";
import { commit, encrypt, joinWelcome, processMessage, type MlsGroup } from "@commune/crypto/mls";
import { LoopEngine, MemoryLoopStore, type CommuneClient } from "@commune/client";
import { randomId, savedGroup, texts } from "./loop-state.ts";
import { DIALECTS, codeOf, join, orgWithMembers, startServer } from "./helpers.ts";

/** Opens a Welcome with whichever of the device's KeyPackage secrets it was made for. */
async function openWelcome(engine: LoopEngine, welcome: Uint8Array): Promise<MlsGroup | null> {
  for (const key of await engine.store.keys("kp:")) {
    const secret = await engine.store.get(key);
    if (!secret) continue;
    const joined = await joinWelcome(welcome, secret);
    if (joined.ok) return joined.group;
  }
  return null;
}

for (const dialect of DIALECTS) {
  describe(`the room's rules on every device (${dialect})`, () => {
    it("a member's commit adding an outsider around the server's list is refused by every honest device", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["noa", "mallory", "oscar"]);
      const [noaClient, malloryClient, oscarClient] = members as [CommuneClient, CommuneClient, CommuneClient];
      const [noaId, malloryId, oscarId] = await Promise.all(members.map(async (m) => (await m.me()).id));
      const engine = (c: CommuneClient) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 });
      const [rosa, noa, mallory, oscar] = [engine(admin), engine(noaClient), engine(malloryClient), engine(oscarClient)];
      for (const e of [rosa, noa, mallory, oscar]) await e.start();

      // oscar is in the organization, not in the loop
      const room = await rosa.createRoom("rules", { kind: "group", name: "Negotiating team", memberIds: [noaId!, malloryId!] });
      await noa.acceptWelcomes();
      await mallory.acceptWelcomes();
      await rosa.send(room.id, { type: "text", body: "Our floor is 7 percent" });
      for (const e of [noa, mallory, rosa]) assert.deepEqual(texts(await e.sync(room.id)), ["Our floor is 7 percent"]);
      const epochBefore = await rosa.epoch(room.id);

      // mallory's device claims oscar's KeyPackage (they share the organization) and commits his add
      const claim = await malloryClient.claimKeyPackages(room.suite, [oscarId!]);
      const oscarDevice = oscarClient.device!.deviceId;
      const group = await savedGroup(mallory, room.id);
      const outcome = await commit(group, { add: claim.packages.map((p) => fromBase64Url(p.data)) });
      assert.ok(outcome.ok);
      const submit = { epoch: Number(group.epoch), id: randomId(), data: toBase64Url(outcome.commit) };
      // the server's own check catches the Welcome: it goes only to devices of the loop's members
      assert.equal(await codeOf(malloryClient.submitCommit(room.id, { ...submit, welcome: { deviceIds: [oscarDevice], data: toBase64Url(outcome.welcome!) } })), "forbidden");
      // but it does not read proposals: the commit alone is accepted, and the Welcome goes round it
      const accepted = await malloryClient.submitCommit(room.id, submit);
      const oscarGroup = await openWelcome(oscar, outcome.welcome!);
      assert.ok(oscarGroup, "oscar could join mallory's version of the group");
      assert.equal(oscarGroup.epoch, epochBefore! + 1n);

      // every honest device refuses the commit, for the same reason, at the same place
      for (const e of [rosa, noa]) {
        assert.deepEqual(await e.sync(room.id), []);
        const v = await e.violation(room.id);
        assert.ok(v, "the room is marked");
        assert.equal(v.rule, "outsider_added");
        assert.equal(v.accountId, oscarId);
        assert.equal(v.deviceId, oscarDevice);
        assert.equal(v.seq, accepted.seq);
        assert.equal(v.senderDeviceId, malloryClient.device!.deviceId);
        // it stays where it was, with the members the server names
        assert.equal(await e.epoch(room.id), epochBefore);
        assert.deepEqual(await e.memberDevices(room.id), [admin.device!.deviceId, noaClient.device!.deviceId, malloryClient.device!.deviceId].sort());
        // and sends nothing more in this loop
        await assert.rejects(e.send(room.id, { type: "text", body: "Meet at the gate" }), /stopped/);
        assert.deepEqual(await e.reconcile(room.id), { added: 0, removed: 0 });
      }
      // the mark survives a restart of the device
      const rosaAgain = new LoopEngine(admin, rosa.store);
      assert.equal((await rosaAgain.violation(room.id))?.rule, "outsider_added");

      // what mallory sends in her version reaches oscar; the honest devices do not take it up
      const message = await encrypt(outcome.group, new TextEncoder().encode(JSON.stringify({ type: "text", body: "psst" })));
      assert.ok(message.ok);
      await malloryClient.sendMessage(room.id, { id: randomId(), epoch: Number(outcome.group.epoch), data: toBase64Url(message.message) });
      const read = await processMessage(oscarGroup, message.message);
      assert.ok(read.ok && read.kind === "application");
      for (const e of [rosa, noa]) {
        assert.deepEqual(await e.sync(room.id), []);
        assert.equal(await e.epoch(room.id), epochBefore);
      }
      // nothing from an honest device after the refusal exists for oscar to read
      const honest = new Set([admin.device!.deviceId, noaClient.device!.deviceId]);
      assert.ok((await admin.events(room.id)).filter((e) => e.seq > accepted.seq).every((e) => !honest.has(e.senderDeviceId)));
    });

    it("a newcomer welcomed into a group holding an outsider refuses to join it", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["mallory", "oscar", "nell"]);
      const [malloryClient, oscarClient, nellClient] = members as [CommuneClient, CommuneClient, CommuneClient];
      const [malloryId, oscarId, nellId] = await Promise.all(members.map(async (m) => (await m.me()).id));
      const engine = (c: CommuneClient) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 });
      const [rosa, mallory, oscar, nell] = [engine(admin), engine(malloryClient), engine(oscarClient), engine(nellClient)];
      for (const e of [rosa, mallory, oscar, nell]) await e.start();
      const room = await rosa.createRoom("rules", { kind: "group", name: "Stewards", memberIds: [malloryId!] });
      await mallory.acceptWelcomes();

      // nell is put in the loop; mallory's device adds her, and oscar with her, in one commit
      await admin.addRoomMember(room.id, nellId!);
      const claim = await malloryClient.claimKeyPackages(room.suite, [nellId!, oscarId!]);
      const group = await savedGroup(mallory, room.id);
      const outcome = await commit(group, { add: claim.packages.map((p) => fromBase64Url(p.data)) });
      assert.ok(outcome.ok);
      const detail = await malloryClient.room(room.id);
      await malloryClient.submitCommit(room.id, {
        epoch: Number(group.epoch),
        membershipVersion: detail.membershipVersion,
        id: randomId(),
        data: toBase64Url(outcome.commit),
        // the Welcome is allowed to go to nell's device: she is a member
        welcome: { deviceIds: [nellClient.device!.deviceId], data: toBase64Url(outcome.welcome!) },
      });
      assert.deepEqual(await nell.acceptWelcomes(), []);
      assert.equal(await nell.joined(room.id), false);
      const v = await nell.violation(room.id);
      assert.equal(v?.rule, "outsider_in_group");
      assert.equal(v?.accountId, oscarId);
      assert.equal(await nell.send(room.id, { type: "text", body: "hello?" }).then(() => "sent", () => "refused"), "refused");
      // the member who was there refuses the commit itself
      await rosa.sync(room.id);
      assert.equal((await rosa.violation(room.id))?.rule, "outsider_added");
    });

    it("a member's commit removing another member's device is refused; honest removals are not", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["noa", "mallory"]);
      const [noaClient, malloryClient] = members as [CommuneClient, CommuneClient];
      const [noaId, malloryId] = await Promise.all(members.map(async (m) => (await m.me()).id));
      const engine = (c: CommuneClient) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 });
      const [rosa, noa, mallory] = [engine(admin), engine(noaClient), engine(malloryClient)];
      for (const e of [rosa, noa, mallory]) await e.start();
      const room = await rosa.createRoom("rules", { kind: "group", name: "Stewards", memberIds: [noaId!, malloryId!] });
      await noa.acceptWelcomes();
      await mallory.acceptWelcomes();

      // mallory kicks noa's device, whom the server still lists
      const group = await savedGroup(mallory, room.id);
      const outcome = await commit(group, { remove: [{ accountId: noaId! }] });
      assert.ok(outcome.ok);
      await malloryClient.submitCommit(room.id, { epoch: Number(group.epoch), id: randomId(), data: toBase64Url(outcome.commit) });
      await rosa.sync(room.id);
      const v = await rosa.violation(room.id);
      assert.equal(v?.rule, "member_removed");
      assert.equal(v?.accountId, noaId);
      // noa's own device, the one kicked, refuses it as well: it is not silently pushed out
      await noa.sync(room.id);
      assert.equal((await noa.violation(room.id))?.rule, "member_removed");
      assert.equal(await noa.joined(room.id), true);
    });

    it("a device away while people came and went accepts every honest commit when it comes back", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["noa", "ana", "ben"]);
      const [noaClient, anaClient, benClient] = members as [CommuneClient, CommuneClient, CommuneClient];
      const [noaId, anaId, benId] = await Promise.all(members.map(async (m) => (await m.me()).id));
      const engine = (c: CommuneClient) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 4 });
      const [rosa, noa, ana, ben] = [engine(admin), engine(noaClient), engine(anaClient), engine(benClient)];
      for (const e of [rosa, noa, ana, ben]) await e.start();
      const room = await rosa.createRoom("rules", { kind: "group", name: "Kitchen", memberIds: [noaId!, anaId!] });
      await noa.acceptWelcomes();
      await ana.acceptWelcomes();

      // noa is away: ana commits (bringing ben in), then leaves; ben leaves and comes back; ana's
      // old device is removed from her account and a new one brought in once she is back
      await admin.addRoomMember(room.id, benId!);
      await ana.reconcile(room.id); // committed by a member who then leaves
      await ben.acceptWelcomes();
      await admin.removeRoomMember(room.id, anaId!);
      await rosa.reconcile(room.id);
      await benClient.removeRoomMember(room.id, benId!);
      await rosa.reconcile(room.id);
      await admin.addRoomMember(room.id, benId!);
      await admin.addRoomMember(room.id, anaId!);
      await anaClient.removeDevice(anaClient.device!.deviceId).catch(() => {});
      const anaPhone = t.client("phone");
      await anaPhone.signIn("ana", "correct horse battery staple");
      const anaNew = engine(anaPhone);
      await anaNew.start();
      await rosa.reconcile(room.id);
      await rosa.send(room.id, { type: "text", body: "Welcome back, both" });

      // noa catches up on all of it, checking every commit against the list where it sits
      assert.deepEqual(texts(await noa.sync(room.id)), ["Welcome back, both"]);
      assert.equal(await noa.violation(room.id), null);
      assert.equal(await noa.epoch(room.id), await rosa.epoch(room.id));
      assert.deepEqual(await noa.memberDevices(room.id), await rosa.memberDevices(room.id));
      await ben.acceptWelcomes();
      await anaNew.acceptWelcomes();
      for (const e of [ben, anaNew]) {
        assert.deepEqual(texts(await e.sync(room.id)), ["Welcome back, both"]);
        assert.equal(await e.violation(room.id), null);
      }
    });

    it("a commit built from a member list that has changed since is refused by the server", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["noa"]);
      const noaId = (await members[0]!.me()).id;
      const rosa = new LoopEngine(admin, new MemoryLoopStore(), { keyPackageStock: 3 });
      await rosa.start();
      const room = await rosa.createRoom("rules", { kind: "group", name: "Stewards", memberIds: [] });
      const read = await admin.room(room.id);
      await admin.addRoomMember(room.id, noaId);
      const group = await savedGroup(rosa, room.id);
      const update = await commit(group);
      assert.ok(update.ok);
      const input = { epoch: Number(group.epoch), id: randomId(), data: toBase64Url(update.commit) };
      assert.equal(await codeOf(admin.submitCommit(room.id, { ...input, membershipVersion: read.membershipVersion })), "epoch_conflict");
      const now = await admin.room(room.id);
      assert.equal(now.membershipVersion, read.membershipVersion + 1);
      const event = await admin.submitCommit(room.id, { ...input, membershipVersion: now.membershipVersion });
      assert.equal(event.epoch, Number(group.epoch));
    });

    it("a member sees the loop's member history only from when they entered; bad queries are refused", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["ana", "ben"]);
      const [anaId, benId] = await Promise.all(members.map(async (m) => (await m.me()).id));
      const adminId = (await admin.me()).id;
      // the server stores what it is sent without reading it: opaque events mark places in the log
      const room = await admin.createRoom("rules", { kind: "group", name: "History", memberIds: [anaId!] });
      const mark = () => admin.sendMessage(room.id, { id: randomId(), epoch: 0, data: "AAAA" });
      await mark();
      await admin.removeRoomMember(room.id, anaId!);
      await mark();
      await admin.addRoomMember(room.id, benId!);
      const full = await admin.roomMembership(room.id, 0);
      assert.equal(full.base, 0);
      assert.deepEqual(full.members, [adminId, anaId!].sort());
      assert.deepEqual(full.changes.map((c) => [c.seq, c.accountId, c.added]), [
        [1, anaId, false],
        [2, benId, true],
      ]);
      // ben entered after ana left: he does not learn she was ever there
      const bens = await members[1]!.roomMembership(room.id, 0);
      assert.equal(bens.base, 2);
      assert.deepEqual(bens.members, [adminId, benId!].sort());
      assert.deepEqual(bens.changes, []);
      assert.equal(await codeOf(members[0]!.roomMembership(room.id, 0)), "not_found");

      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ maxLength: 30 }), fc.nat().map(String), fc.constant("99999999999999999")), async (after) => {
          let outcome: string;
          try {
            const m = await admin.request<{ base: number }>("GET", `/api/v1/rooms/${room.id}/membership?after=${encodeURIComponent(after)}`);
            outcome = typeof m.base === "number" ? "ok" : "bad shape";
          } catch (error) {
            outcome = (error as { code: string }).code;
          }
          assert.equal(outcome, /^\d{1,16}$/.test(after) ? "ok" : "validation_failed");
        }),
        { numRuns: dialect === "sqlite" ? 60 : 15 },
      );
      assert.equal(await codeOf(admin.roomMembership("no-such-room", 0)), "not_found");
      assert.equal(await codeOf(t.client().roomMembership(room.id, 0)), "unauthenticated");
    });

    it("deleting a circle, its loop and its membership history together leaves nothing behind", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "rules", ["ana"]);
      const anaId = (await members[0]!.me()).id;
      const circle = await admin.createCircle("rules", { name: "Night shift" });
      await admin.addToCircle("rules", circle.id, anaId);
      const room = await admin.createRoom("rules", { kind: "circle", circleId: circle.id });
      await admin.sendMessage(room.id, { id: randomId(), epoch: 0, data: "AAAA" });
      await admin.removeFromCircle("rules", circle.id, anaId);
      assert.equal((await admin.roomMembership(room.id, 0)).changes.length, 1);
      await admin.deleteCircle("rules", circle.id);
      assert.equal(await codeOf(admin.room(room.id)), "not_found");
      const left = await t.server.ctx.db.selectFrom("room_membership_log").select("room_id").where("room_id", "=", room.id).execute();
      assert.deepEqual(left, []);
      // and an account deleted with its loops is recorded as gone from them
      const ben = await join(t, admin, "rules", "ben");
      const benId = (await ben.me()).id;
      const other = await admin.createRoom("rules", { kind: "group", name: "Other", memberIds: [benId] });
      await admin.sendMessage(other.id, { id: randomId(), epoch: 0, data: "AAAA" });
      await ben.deleteAccount("correct horse battery staple");
      const history = await admin.roomMembership(other.id, 0);
      assert.deepEqual(history.changes.map((c) => [c.accountId, c.added]), [[benId, false]]);
    });
  });
}
