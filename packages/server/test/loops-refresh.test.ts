/**
 * Devices refresh their keys in each loop by themselves (an MLS update commit while live() runs).
 * A loop made with everyone in one commit has keys only on its maker's path, so a removal must
 * encrypt the new keys to every other device; once members have refreshed, to a few subtrees.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LoopEngine, MemoryLoopStore } from "@commune/client";
import { fromBase64Url } from "@commune/crypto";
import { peekMessage } from "@commune/crypto/mls";
import type { CommuneClient } from "@commune/client";
import { orgWithMembers, startServer } from "./helpers.ts";

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How many HPKE encryptions the room's last commit carried. */
async function lastCommitEncryptions(client: CommuneClient, roomId: string): Promise<number> {
  const last = (await client.events(roomId)).filter((e) => e.kind === "commit").at(-1)!;
  const peeked = peekMessage(fromBase64Url(last.data));
  assert.ok(peeked.ok && peeked.message.wireformat === "public_message");
  return peeked.message.pathEncryptions;
}

describe("refreshing keys in loops (sqlite)", () => {
  it("every live device commits fresh keys soon after joining, and removals then encrypt to fewer devices", async () => {
    await using t = await startServer("sqlite");
    const names = ["ana", "ben", "cai", "dov", "eli", "fay"];
    const { admin, members } = await orgWithMembers(t, "refresh", names);
    const ids = await Promise.all(members.map(async (m) => (await m.me()).id));
    const clients = [admin, ...members];
    // refreshes come at once here; by default within a day of joining, then every week
    const engines = clients.map((c) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 4, refresh: { firstWithinMs: 0, everyMs: 3_600_000 } }));
    for (const e of engines) await e.start();
    const [rosa, ...others] = engines as [LoopEngine, ...LoopEngine[]];
    const make = async (name: string) => {
      const room = await rosa.createRoom("refresh", { kind: "group", name, memberIds: ids });
      for (const e of others) await e.acceptWelcomes();
      return room;
    };

    // without refreshes: the maker removes fay and must encrypt to everyone else but one
    const blank = await make("Blank");
    await admin.removeRoomMember(blank.id, ids.at(-1)!);
    await rosa.reconcile(blank.id);
    const blankCost = await lastCommitEncryptions(admin, blank.id);
    assert.equal(blankCost, 5, "leaf 1 and the blank subtrees' leaves 2-5");

    // with live devices: each one refreshes, all stay in step and can talk
    const room = await make("Refreshed");
    const connections = engines.map((e) => e.live());
    await Promise.all(connections.map((c) => c.ready));
    await until("every device's refresh", async () => {
      const commits = (await admin.events(room.id)).filter((e) => e.kind === "commit");
      return new Set(commits.slice(1).map((e) => e.senderDeviceId)).size === engines.length;
    });
    const epoch = (await admin.events(room.id)).filter((e) => e.kind === "commit").length;
    await until("every device at the same epoch", async () => (await Promise.all(engines.map((e) => e.epoch(room.id)))).every((x) => x === BigInt(epoch)));
    await engines[3]!.send(room.id, { type: "text", body: "Picket at 7, bring the banner" });
    await until("the message everywhere", async () => {
      const seen = await Promise.all(engines.map(async (e) => (await e.history(room.id)).some((m) => m.content.type === "text" && m.content.body === "Picket at 7, bring the banner")));
      return seen.every(Boolean);
    });

    // the same removal in the filled tree: a live device commits it, to fewer devices
    const before = (await admin.events(room.id)).length;
    await admin.removeRoomMember(room.id, ids.at(-1)!);
    await until("the removal", async () => (await rosa.memberDevices(room.id)).length === engines.length - 1);
    await until("the removal in the log", async () => (await admin.events(room.id)).slice(before).some((e) => e.kind === "commit"));
    const filledCost = await lastCommitEncryptions(admin, room.id);
    assert.ok(filledCost < blankCost, `${filledCost} encryptions after refreshes, ${blankCost} before`);
    for (const c of connections) c.close();
  });
});
