/**
 * The cipher suite of an organization's loops: an admin chooses the post-quantum hybrid X-Wing
 * suite; new loops use it, older loops keep theirs. The whole loop flow — create, add, message,
 * remove — runs on X-Wing through headless clients and a real server, and devices publish
 * KeyPackages for the suites they need (including one that started before the switch).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fromBase64Url } from "@commune/crypto";
import { inspectKeyPackage, processMessage } from "@commune/crypto/mls";
import { LoopEngine, MemoryLoopStore } from "@commune/client";
import { DEFAULT_MLS_SUITE, ERROR_STATUS, type MlsSuite } from "@commune/protocol";
import { savedGroup, texts } from "./loop-state.ts";
import { DIALECTS, codeOf, join, orgWithMembers, startServer } from "./helpers.ts";

const XWING: MlsSuite = "MLS_256_XWING_AES256GCM_SHA512_Ed25519";

for (const dialect of DIALECTS) {
  describe(`loops on the X-Wing suite (${dialect})`, () => {
    it("an admin chooses X-Wing; new loops create, add, message and remove on it; older loops keep theirs", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "pq", ["noa", "omar"]);
      const [noaClient, omarClient] = members as [typeof admin, typeof admin];
      const [noaId, omarId] = await Promise.all(members.map(async (m) => (await m.me()).id));
      assert.equal((await admin.organization("pq")).loopSuite, DEFAULT_MLS_SUITE);

      // devices that start before the switch stock only the default suite
      const rosa = new LoopEngine(admin, new MemoryLoopStore(), { keyPackageStock: 3 });
      const noa = new LoopEngine(noaClient, new MemoryLoopStore(), { keyPackageStock: 3 });
      const omar = new LoopEngine(omarClient, new MemoryLoopStore(), { keyPackageStock: 3 });
      for (const e of [rosa, noa, omar]) await e.start();
      assert.equal((await noaClient.keyPackageStock(XWING)).count, 0);
      const older = await rosa.createRoom("pq", { kind: "group", name: "Before", memberIds: [noaId!] });
      assert.equal(older.suite, DEFAULT_MLS_SUITE);
      assert.deepEqual(await noa.acceptWelcomes(), [older.id]);

      // only an admin chooses, and only a suite Commune has
      assert.equal(await codeOf(noaClient.updateOrganization("pq", { loopSuite: XWING })), "forbidden");
      assert.equal(await codeOf(admin.request("PATCH", "/api/v1/orgs/pq", { loopSuite: "MLS_128_DHKEMP256_AES128GCM_SHA256_P256" })), "validation_failed");
      const switched = await admin.updateOrganization("pq", { loopSuite: XWING });
      assert.equal(switched.loopSuite, XWING);
      assert.equal((await noaClient.organization("pq")).loopSuite, XWING);
      const audit = await admin.audit("pq");
      assert.ok(audit.items.some((e) => e.action === "organization.updated"));

      // a new loop takes the organization's suite; a client naming another is told so
      assert.equal(await codeOf(admin.createRoom("pq", { kind: "group", name: "Wrong", suite: DEFAULT_MLS_SUITE })), "conflict");
      const room = await rosa.createRoom("pq", { kind: "group", name: "Negotiating team", memberIds: [noaId!, omarId!] });
      assert.equal(room.suite, XWING);
      assert.equal((await savedGroup(rosa, room.id)).suite, XWING);
      // rosa's device stocked X-Wing packages when it created the loop? Not needed: the creator's
      // leaf is made with the group. noa and omar had none: nobody could be added yet.
      assert.deepEqual(await rosa.memberDevices(room.id), [admin.device!.deviceId]);

      // told of the loop (what a "room added" frame triggers), their devices stock X-Wing packages;
      // the first ones make the server announce them, and a member's device brings them in
      for (const [engine, client] of [
        [noa, noaClient],
        [omar, omarClient],
      ] as const) {
        assert.deepEqual(await engine.acceptWelcomes(), []);
        const stock = await client.keyPackageStock(XWING);
        assert.ok(stock.count >= 3 && stock.lastResort, `${client.device!.deviceId} stocked X-Wing packages`);
      }
      const claimed = await admin.claimKeyPackages(XWING, [noaId!]);
      const info = await inspectKeyPackage(fromBase64Url(claimed.packages[0]!.data));
      assert.ok(info.ok && info.suite === XWING);
      // the claim just used one of noa's packages; the rest cover the reconcile
      assert.deepEqual(await rosa.reconcile(room.id), { added: 2, removed: 0 });
      assert.deepEqual(await noa.acceptWelcomes(), [room.id]);
      assert.deepEqual(await omar.acceptWelcomes(), [room.id]);
      assert.equal((await savedGroup(noa, room.id)).suite, XWING);

      // messages
      await rosa.send(room.id, { type: "text", body: "Management offered 3 percent" });
      await noa.send(room.id, { type: "text", body: "We hold out for 7" });
      assert.deepEqual(texts(await omar.sync(room.id)), ["Management offered 3 percent", "We hold out for 7"]);

      // add: a newcomer who starts after the switch stocks both suites at once
      const pia = await join(t, admin, "pq", "pia");
      const piaId = (await pia.me()).id;
      const piaEngine = new LoopEngine(pia, new MemoryLoopStore(), { keyPackageStock: 3 });
      await piaEngine.start();
      for (const suite of [DEFAULT_MLS_SUITE, XWING]) assert.ok((await pia.keyPackageStock(suite)).count >= 3, `pia stocked ${suite}`);
      await admin.addRoomMember(room.id, piaId);
      assert.deepEqual(await rosa.reconcile(room.id), { added: 1, removed: 0 });
      assert.deepEqual(await piaEngine.acceptWelcomes(), [room.id]);
      await piaEngine.send(room.id, { type: "text", body: "Hello from the new steward" });
      // noa also reads back her own message, kept in clear on her device
      assert.deepEqual(texts(await noa.sync(room.id)), ["We hold out for 7", "Hello from the new steward"]);
      assert.deepEqual(texts(await omar.sync(room.id)), ["Hello from the new steward"]);

      // remove: omar's devices are taken out; he reads nothing sent afterwards
      const omarBefore = await savedGroup(omar, room.id);
      await admin.removeRoomMember(room.id, omarId!);
      assert.deepEqual(await noa.reconcile(room.id), { added: 0, removed: 1 });
      await rosa.send(room.id, { type: "text", body: "Strike vote on Friday" });
      for (const e of [noa, piaEngine]) assert.deepEqual(texts(await e.sync(room.id)).at(-1), "Strike vote on Friday");
      assert.equal(await codeOf(omarClient.events(room.id)), "not_found");
      const last = (await admin.events(room.id)).filter((e) => e.kind === "message").at(-1)!;
      assert.equal((await processMessage(omarBefore, fromBase64Url(last.data))).ok, false);
      const epochs = await Promise.all([rosa, noa, piaEngine].map((e) => e.epoch(room.id)));
      assert.equal(new Set(epochs.map(String)).size, 1);
      assert.deepEqual(await noa.memberDevices(room.id), [admin.device!.deviceId, noaClient.device!.deviceId, pia.device!.deviceId].sort());

      // the older loop keeps the default suite and goes on working
      await rosa.send(older.id, { type: "text", body: "still here" });
      assert.deepEqual(texts(await noa.sync(older.id)), ["still here"]);
      assert.equal((await savedGroup(noa, older.id)).suite, DEFAULT_MLS_SUITE);
      assert.equal((await noaClient.room(older.id)).suite, DEFAULT_MLS_SUITE);
      // and nothing the honest devices did tripped the room's rules
      for (const e of [rosa, noa, piaEngine]) for (const id of [room.id, older.id]) assert.equal(await e.violation(id), null);
    });

    it("the loop-suite setting refuses whatever is not a suite, never with a 500", async () => {
      await using t = await startServer(dialect);
      const { admin } = await orgWithMembers(t, "pq", []);
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom(XWING, DEFAULT_MLS_SUITE), fc.jsonValue()), async (loopSuite) => {
          let status = 200;
          let code = "";
          try {
            await admin.request("PATCH", "/api/v1/orgs/pq", { loopSuite });
          } catch (error) {
            status = (error as { status: number }).status;
            code = (error as { code: string }).code;
          }
          if (loopSuite === XWING || loopSuite === DEFAULT_MLS_SUITE) {
            assert.equal(status, 200);
            assert.equal((await admin.organization("pq")).loopSuite, loopSuite);
          } else {
            assert.equal(code, "validation_failed");
            assert.equal(status, ERROR_STATUS.validation_failed);
          }
        }),
        { numRuns: dialect === "sqlite" ? 60 : 15 },
      );
    });
  });
}
