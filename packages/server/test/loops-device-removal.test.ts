/**
 * A person removes one of their devices (lost, sold, retired): the members' live devices hear of
 * it at once and commit its removal from every MLS group it was in, without anyone acting; what is
 * sent afterwards cannot be read with that device's keys.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommuneClient, LoopEngine, MemoryDeviceStore, MemoryLoopStore } from "@commune/client";
import { fromBase64Url } from "@commune/crypto";
import { decodeState, processMessage } from "@commune/crypto/mls";
import { DIALECTS, PASSWORD, orgWithMembers, startServer } from "./helpers.ts";

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of DIALECTS) {
  describe(`removing a device (${dialect})`, () => {
    it("leaves every loop by the members' own commits, at once", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "devices", ["noa"]);
      const noaId = (await members[0]!.me()).id;
      const rosa = new LoopEngine(admin, new MemoryLoopStore(), { keyPackageStock: 3 });
      const noaPhone = new LoopEngine(members[0]!, new MemoryLoopStore(), { keyPackageStock: 3 });
      // noa's second device: a laptop she will lose
      const laptopClient = new CommuneClient({ baseUrl: t.url, deviceStore: new MemoryDeviceStore(), deviceName: "laptop" });
      await laptopClient.signIn("noa", PASSWORD);
      const laptop = new LoopEngine(laptopClient, new MemoryLoopStore(), { keyPackageStock: 3 });
      for (const e of [rosa, noaPhone, laptop]) await e.start();

      const room = await rosa.createRoom("devices", { kind: "group", name: "Stewards", memberIds: [noaId] });
      await noaPhone.acceptWelcomes();
      await laptop.acceptWelcomes();
      const membersBefore = (await rosa.memberKeys(room.id)).length;
      assert.equal(membersBefore, 3, "rosa's device, noa's phone and noa's laptop");

      // rosa's device is online and keeps itself in step
      const connection = rosa.live();
      await connection.ready;
      await members[0]!.removeDevice(laptopClient.device!.deviceId);
      await until("the laptop's leaf to leave the group", async () => (await rosa.memberKeys(room.id)).length === 2);

      await rosa.send(room.id, { type: "text", body: "New meeting place: the bakery on 5th" });
      const atPhone = (await noaPhone.sync(room.id)).filter((m) => !m.own).map((m) => (m.content.type === "text" ? m.content.body : null));
      assert.ok(atPhone.includes("New meeting place: the bakery on 5th"));
      // the laptop's saved state, handed the ciphertext, reads nothing
      const last = (await admin.events(room.id)).filter((e) => e.kind === "message").at(-1)!;
      const saved = await (laptop.store as MemoryLoopStore).get(`room:${room.id}`);
      const { state } = JSON.parse(new TextDecoder().decode(saved!)) as { state: string };
      const group = await decodeState(fromBase64Url(state));
      assert.ok(group.ok);
      assert.equal((await processMessage(group.group, fromBase64Url(last.data))).ok, false);
      connection.close();
    });
  });
}
