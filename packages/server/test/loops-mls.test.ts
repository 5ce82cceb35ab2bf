/**
 * Loops end to end with real MLS: headless clients create a room, are welcomed into it, exchange
 * encrypted messages through the server; a removed member's devices are removed from the group
 * and read nothing sent afterwards; and the database holds none of the plaintext.
 */
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LoopEngine, MemoryLoopStore } from "@commune/client";
import { processMessage, decodeState } from "@commune/crypto/mls";
import { fromBase64Url } from "@commune/crypto";
import { DIALECTS, codeOf, orgWithMembers, startServer } from "./helpers.ts";

for (const dialect of DIALECTS) {
  describe(`loops with MLS (${dialect})`, () => {
    it("members are welcomed, read each other, and a removed member reads nothing afterwards", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "mls", ["noa", "omar"]);
      const engines = [admin, ...members].map((c) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 }));
      for (const e of engines) await e.start();
      const [rosa, noa, omar] = engines;
      const ids = await Promise.all(members.map(async (m) => (await m.me()).id));

      const room = await rosa!.createRoom("mls", { kind: "group", name: "Negotiating team", memberIds: ids });
      assert.deepEqual(await noa!.acceptWelcomes(), [room.id]);
      assert.deepEqual(await omar!.acceptWelcomes(), [room.id]);
      assert.equal(await noa!.epoch(room.id), await rosa!.epoch(room.id));

      await rosa!.send(room.id, { type: "text", body: "Management offered 3 percent" });
      const seq = await noa!.send(room.id, { type: "text", body: "We hold out for 7", replyTo: 1 });
      const atOmar = await omar!.sync(room.id);
      assert.deepEqual(atOmar.map((m) => m.content), [
        { type: "text", body: "Management offered 3 percent" },
        { type: "text", body: "We hold out for 7", replyTo: 1 },
      ]);
      assert.equal(atOmar[1]!.senderAccountId, ids[0]);
      // the log as rosa reads it: her own message (kept in clear on her device: MLS senders cannot
      // decrypt their own), then noa's
      const atRosa = await rosa!.sync(room.id);
      assert.deepEqual(
        atRosa.map((m) => [m.own, m.content.type === "text" ? m.content.body : null]),
        [
          [true, "Management offered 3 percent"],
          [false, "We hold out for 7"],
        ],
      );
      assert.equal(atRosa[1]!.seq, seq);
      // what a device has read stays readable on it (MLS keys are single-use)
      assert.deepEqual(await rosa!.history(room.id), atRosa);

      // omar leaves the organization's loop: the server stops delivering, rosa's client removes his device
      await admin.removeRoomMember(room.id, ids[1]!);
      const { removed } = await rosa!.reconcile(room.id);
      assert.equal(removed, 1);
      await rosa!.send(room.id, { type: "text", body: "Strike vote on Friday" });
      const atNoa = (await noa!.sync(room.id)).filter((m) => !m.own);
      assert.deepEqual(atNoa.map((m) => (m.content.type === "text" ? m.content.body : null)), ["Strike vote on Friday"]);
      assert.equal(await codeOf(members[1]!.events(room.id)), "not_found");
      // even handed the ciphertext, omar's last state cannot read it
      const log = await admin.events(room.id);
      const after = log.filter((e) => e.kind === "message").at(-1)!;
      const saved = await (omar!.store as MemoryLoopStore).get(`room:${room.id}`);
      const state = JSON.parse(new TextDecoder().decode(saved!)) as { state: string };
      const omarGroup = await decodeState(fromBase64Url(state.state));
      assert.ok(omarGroup.ok);
      const attempt = await processMessage(omarGroup.group, fromBase64Url(after.data));
      assert.equal(attempt.ok, false);

      // an attachment: encrypted before upload, its key only inside MLS
      const leaflet = new TextEncoder().encode("LEAFLET: picket line at gate 3, bring water");
      await noa!.sendFile(room.id, { name: "leaflet.txt", mime: "text/plain", bytes: leaflet });
      const fileMessage = (await rosa!.sync(room.id)).find((m) => m.content.type === "file")!;
      assert.ok(fileMessage);
      const opened = await rosa!.openFile(room.id, fileMessage.content as Extract<typeof fileMessage.content, { type: "file" }>);
      assert.deepEqual(opened, leaflet);

      // the server holds ciphertext only, in the database and in the blob folder
      await t.server.destroy();
      let dump = "";
      for (const f of await readdir(t.dataDir, { recursive: true })) dump += await readFile(join(t.dataDir, f), "latin1").catch(() => "");
      for (const secret of ["Management offered", "hold out for 7", "Strike vote", "3 percent", "LEAFLET", "picket line", "leaflet.txt"]) {
        assert.equal(dump.includes(secret), false, `the store holds "${secret}" in plain text`);
      }
    });

    it("two organizers adding at the same moment converge without anyone doing anything", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "race", ["pia", "quin", "ray"]);
      const piaId = (await members[0]!.me()).id;
      await admin.changeRole("race", piaId, "organizer");
      const engines = [admin, ...members].map((c) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 }));
      for (const e of engines) await e.start();
      const [rosa, pia, quin, ray] = engines;
      const room = await rosa!.createRoom("race", { kind: "group", name: "Race", memberIds: [piaId] });
      await pia!.acceptWelcomes();
      // both organizers put someone in, then both reconcile at once
      await admin.addRoomMember(room.id, (await members[1]!.me()).id);
      await members[0]!.addRoomMember(room.id, (await members[2]!.me()).id);
      await Promise.all([rosa!.reconcile(room.id), pia!.reconcile(room.id)]);
      await quin!.acceptWelcomes();
      await ray!.acceptWelcomes();
      for (const e of engines) await e.sync(room.id);
      const epochs = await Promise.all(engines.map((e) => e.epoch(room.id)));
      assert.equal(new Set(epochs.map(String)).size, 1, `every member in the same epoch: ${epochs.join(", ")}`);
      await ray!.send(room.id, { type: "text", body: "hello all" });
      for (const e of [rosa, pia, quin]) {
        assert.deepEqual((await e!.sync(room.id)).map((m) => (m.content.type === "text" ? m.content.body : null)), ["hello all"]);
      }
    });
  });
}

describe("loops that keep themselves in step", () => {
  it("a new device of a member and a person joining the circle are brought in with no one acting", async () => {
    await using t = await startServer("sqlite");
    const { admin, members } = await orgWithMembers(t, "live", ["sol"]);
    const sol = members[0]!;
    const solId = (await sol.me()).id;
    const circle = await admin.createCircle("live", { name: "Night shift" });
    await admin.addToCircle("live", circle.id, solId);
    const rosa = new LoopEngine(admin, new MemoryLoopStore(), { keyPackageStock: 3 });
    const solPhone = new LoopEngine(sol, new MemoryLoopStore(), { keyPackageStock: 3 });
    await rosa.start();
    await solPhone.start();
    const rosaLive = rosa.live();
    const solLive = solPhone.live();
    await Promise.all([rosaLive.ready, solLive.ready]);
    const room = await rosa.createRoom("live", { kind: "circle", circleId: circle.id });
    const until = async (check: () => Promise<boolean>, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(() => solPhone.joined(room.id), "sol's phone welcomed");

    // sol signs in on a laptop: a new device, brought in by the others' devices
    const laptopClient = t.client("laptop");
    await laptopClient.signIn("sol", "correct horse battery staple");
    const solLaptop = new LoopEngine(laptopClient, new MemoryLoopStore(), { keyPackageStock: 3 });
    await solLaptop.start();
    const laptopLive = solLaptop.live();
    await laptopLive.ready;
    await until(() => solLaptop.joined(room.id), "sol's laptop brought in");

    // a newcomer joins through an invite link straight into the circle
    const invite = await admin.createInvite("live", { role: "member", expiresInHours: 1, maxUses: 1, circleIds: [circle.id] });
    const tess = t.client();
    await tess.signUp({ username: "tess", password: "correct horse battery staple", invite: invite.token });
    const tessEngine = new LoopEngine(tess, new MemoryLoopStore(), { keyPackageStock: 3 });
    await tessEngine.start();
    const tessLive = tessEngine.live();
    await tessLive.ready;
    await until(() => tessEngine.joined(room.id), "tess brought in");

    await rosa.send(room.id, { type: "text", body: "Welcome, both of you" });
    for (const e of [solPhone, solLaptop, tessEngine]) {
      await until(async () => (await e.history(room.id)).some((m) => m.content.type === "text" && m.content.body === "Welcome, both of you"), "message read");
    }
    for (const c of [rosaLive, solLive, laptopLive, tessLive]) c.close();
  });
});
