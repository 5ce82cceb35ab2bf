/**
 * The conversation features of loops, with headless clients on real MLS against a real server on
 * both dialects: attachments with progress and a decrypted cache, unread counts and mentions
 * counted on the device, typing signals relayed encrypted over the WebSocket and never stored (and
 * a member who missed them still reads what follows), disappearing messages deleted from the
 * device, and the hub refusing ephemeral frames that are too big, malformed, not a member's, or a flood.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  EPHEMERAL_BUDGET,
  LoopEngine,
  MemoryLoopStore,
  deleteExpired,
  fileCacheKey,
  lastRead,
  markRead,
  nextExpiry,
  unreadSummary,
  type CommuneClient,
  type EphemeralSignal,
  type LoopContent,
  type ServerFrame,
} from "@commune/client";
import { EPHEMERAL_MAX_CHARS, EphemeralFrame } from "@commune/protocol";
import fc from "fast-check";
import { DIALECTS, orgWithMembers, startServer, type TestServer } from "./helpers.ts";

const engine = (c: CommuneClient) => new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 });
const text = (body: string): LoopContent => ({ type: "text", body });
const bodies = (messages: { content: LoopContent }[]) => messages.map((m) => (m.content.type === "text" ? m.content.body : m.content.type));

/** Waits for a condition on frames that arrive by themselves; the deadline only turns a hang into a failure. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A room of three people, each with a started engine, all in the MLS group. */
async function threeInALoop(t: TestServer, slug: string, disappearingSeconds?: number) {
  const { admin, members } = await orgWithMembers(t, slug, ["noa", "omar"]);
  const [rosa, noa, omar] = [admin, ...members].map(engine) as [LoopEngine, LoopEngine, LoopEngine];
  for (const e of [rosa, noa, omar]) await e.start();
  const ids = await Promise.all(members.map(async (m) => (await m.me()).id));
  const room = await rosa.createRoom(slug, { kind: "group", name: "Negotiating team", memberIds: ids });
  if (disappearingSeconds) await admin.updateRoom(room.id, { disappearingSeconds });
  await noa.acceptWelcomes();
  await omar.acceptWelcomes();
  return { room, rosa, noa, omar, clients: [admin, ...members] as CommuneClient[] };
}

for (const dialect of DIALECTS) {
  describe(`loop conversations (${dialect})`, () => {
    it("a file goes up and comes down with progress; the decrypted copy is kept on the device and disappears with its message", async () => {
      await using t = await startServer(dialect);
      const { room, rosa, noa } = await threeInALoop(t, "files", 3600);
      const bytes = new Uint8Array(randomBytes(200_000));
      const up: Array<[number, number]> = [];
      const seq = await rosa.sendFile(room.id, { name: "flyer.png", mime: "image/png", bytes }, { onProgress: (done, total) => up.push([done, total]) });
      // Node has no XMLHttpRequest: progress goes from nothing to all of the ciphertext (file + 16-byte tag)
      assert.deepEqual(up, [
        [0, bytes.length + 16],
        [bytes.length + 16, bytes.length + 16],
      ]);
      const [message] = await noa.sync(room.id);
      assert.equal(message?.seq, seq);
      assert.ok(message && message.content.type === "file");
      const content = message.content;
      assert.equal(typeof message.expiresAt, "number");
      const down: Array<[number, number]> = [];
      const opened = await noa.openFile(room.id, content, { onProgress: (done, total) => down.push([done, total]) });
      assert.deepEqual(opened, bytes);
      assert.deepEqual(down.at(0), [0, bytes.length + 16]);
      assert.deepEqual(down.at(-1), [bytes.length + 16, bytes.length + 16]);
      assert.ok(down.length >= 2);
      // the second opening comes from the device, not the server
      assert.deepEqual(await noa.store.get(fileCacheKey(room.id, content.attachment)), bytes);
      const again: Array<[number, number]> = [];
      assert.deepEqual(await noa.openFile(room.id, content, { onProgress: (d, n) => again.push([d, n]) }), bytes);
      assert.deepEqual(again, [[bytes.length, bytes.length]]);

      // the timer runs out: the message and the decrypted file leave the device
      assert.equal(await nextExpiry(noa.store), message.expiresAt);
      assert.deepEqual(await deleteExpired(noa.store, message.expiresAt! - 1), []);
      assert.deepEqual(await deleteExpired(noa.store, message.expiresAt!), [{ roomId: room.id, seq }]);
      assert.deepEqual(await noa.history(room.id), []);
      assert.equal(await noa.store.get(fileCacheKey(room.id, content.attachment)), null);
      assert.equal(await nextExpiry(noa.store), null);
      // the sender's own copy goes too
      await rosa.sync(room.id);
      assert.equal((await rosa.history(room.id)).length, 1);
      assert.deepEqual(await deleteExpired(rosa.store, message.expiresAt!), [{ roomId: room.id, seq }]);
      assert.deepEqual(await rosa.history(room.id), []);
    });

    it("messages without a timer stay; a timer set later applies to what is sent after it", async () => {
      await using t = await startServer(dialect);
      const { room, rosa, noa, clients } = await threeInALoop(t, "timer");
      await rosa.send(room.id, text("kept"));
      await clients[0]!.updateRoom(room.id, { disappearingSeconds: 3600 });
      await rosa.send(room.id, text("gone in an hour"));
      const read = await noa.sync(room.id);
      assert.deepEqual(bodies(read), ["kept", "gone in an hour"]);
      assert.equal(read[0]!.expiresAt, null);
      const far = Date.now() + 10 * 86_400_000;
      assert.deepEqual((await deleteExpired(noa.store, far)).map((m) => m.seq), [read[1]!.seq]);
      assert.deepEqual(bodies(await noa.history(room.id)), ["kept"]);
    });

    it("a device that is live deletes a disappearing message when its timer runs out, and says so", async () => {
      await using t = await startServer(dialect);
      const { room, rosa, noa } = await threeInALoop(t, "live-expiry", 3600);
      const read: number[] = [];
      const expired: number[] = [];
      const live = noa.live({ onMessages: (_, messages) => read.push(...messages.map((m) => m.seq)), onExpired: (gone) => expired.push(...gone.map((m) => m.seq)) });
      await live.ready;
      // the server's clock runs an hour less a few seconds behind: the one-hour timer ends in a few seconds
      const ctx = t.server.ctx;
      const realNow = ctx.now;
      ctx.now = () => realNow() - 3600_000 + 8000;
      try {
        const seq = await rosa.send(room.id, text("This will disappear"));
        await until(() => read.includes(seq), "noa reads it");
        assert.deepEqual(bodies(await noa.history(room.id)), ["This will disappear"]);
        await until(() => expired.includes(seq), "noa's device deletes it");
        assert.deepEqual(await noa.history(room.id), []);
      } finally {
        ctx.now = realNow;
        live.close();
      }
    });

    it("unread counts and mentions are counted on the device, from its history and its last-read marker", async () => {
      await using t = await startServer(dialect);
      const { room, rosa, noa, clients } = await threeInALoop(t, "unread");
      const noaMe = await clients[1]!.me();
      const me = { accountId: noaMe.id, username: noaMe.username };
      await rosa.send(room.id, text("Meeting at 7"));
      await rosa.send(room.id, text("@noa can you bring the leaflets?"));
      await rosa.send(room.id, text("mail me at someone@noa.example")); // an address, not a mention
      const first = await noa.sync(room.id);
      await rosa.send(room.id, { type: "reaction", to: first[0]!.seq, emoji: "👍" }); // not a message to read
      await noa.send(room.id, text("@rosa yes")); // one's own messages are never unread
      await noa.sync(room.id);
      assert.deepEqual(await unreadSummary(noa.store, room.id, me), { count: 3, mentions: 1 });
      assert.equal(await lastRead(noa.store, room.id), 0);
      assert.equal(await markRead(noa.store, room.id, first[1]!.seq), true);
      assert.deepEqual(await unreadSummary(noa.store, room.id, me), { count: 1, mentions: 0 });
      // the marker never moves back
      assert.equal(await markRead(noa.store, room.id, first[0]!.seq), false);
      assert.equal(await lastRead(noa.store, room.id), first[1]!.seq);
      await rosa.send(room.id, text("@NOA and the banner")); // usernames compare in their normal form
      await noa.sync(room.id);
      assert.deepEqual(await unreadSummary(noa.store, room.id, me), { count: 2, mentions: 1 });
    });

    it("typing signals travel encrypted over the WebSocket, are never stored, and a member who missed them still reads on", async () => {
      await using t = await startServer(dialect);
      const { room, rosa, noa, omar, clients } = await threeInALoop(t, "typing");
      const seen: EphemeralSignal[] = [];
      const noaRead: string[] = [];
      const noaLive = noa.live({ onEphemeral: (s) => seen.push(s), onMessages: (_, messages) => noaRead.push(...bodies(messages)) });
      const rosaFrames: ServerFrame[] = [];
      const rosaConn = clients[0]!.connect((f) => rosaFrames.push(f));
      await Promise.all([noaLive.ready, rosaConn.ready]);
      const before = await clients[0]!.events(room.id);

      const sealed = await rosa.sealEphemeral(room.id, { type: "typing" });
      assert.ok(sealed);
      assert.equal(rosaConn.sendEphemeral(sealed), true);
      await until(() => seen.length === 1, "noa sees rosa typing");
      assert.deepEqual(seen[0], { roomId: room.id, senderAccountId: rosa.identity.accountId, senderDeviceId: rosa.identity.deviceId, content: { type: "typing" } });
      // not in the log, not echoed to the device that sent it
      assert.deepEqual(await clients[0]!.events(room.id), before);
      assert.equal((await clients[0]!.room(room.id)).lastSeq, before.at(-1)?.seq ?? 0);
      assert.equal(rosaFrames.filter((f) => f.type === "ephemeral").length, 0);

      // a long stretch of typing: noa reads the first signals (as many as the hub relays at once),
      // then misses the rest; omar is offline and misses them all. Both skip those ratchet steps.
      for (let i = 1; i < EPHEMERAL_BUDGET; i++) {
        const s = await rosa.sealEphemeral(room.id, { type: "typing" });
        assert.ok(s, `signal ${i} within the budget`);
        if (i < 16) rosaConn.sendEphemeral(s);
      }
      await until(() => seen.length === 16, "noa sees the signals that were sent");
      // the budget keeps the gap within what MLS lets a receiver skip
      assert.equal(await rosa.sealEphemeral(room.id, { type: "typing" }), null);
      await rosa.send(room.id, text("Here is the plan"));
      assert.ok(await rosa.sealEphemeral(room.id, { type: "typing" }), "a stored message renews the budget");
      assert.deepEqual(bodies(await omar.sync(room.id)), ["Here is the plan"]);
      await until(() => noaRead.includes("Here is the plan"), "noa reads on, live");
      noaLive.close();
      assert.deepEqual(bodies(await noa.history(room.id)), ["Here is the plan"]);

      // a typing signal is not a way to show a message outside the log: other content is dropped
      assert.equal(await noa.openEphemeral({ roomId: room.id, data: randomBytes(200).toString("base64url") }), null);
      rosaConn.close();

      // the server's store holds no trace of them: not in its tables, not in its files
      const stored = await t.server.ctx.db.selectFrom("room_events").select("data").execute();
      assert.equal(stored.length, (await clients[0]!.room(room.id)).lastSeq);
      assert.equal(stored.some((r) => r.data === sealed.data), false);
      let dump = "";
      for (const f of await readdir(t.dataDir, { recursive: true })) dump += await readFile(join(t.dataDir, f), "latin1").catch(() => "");
      assert.equal(dump.includes(sealed.data.slice(0, 64)), false);
    });

    it("refuses ephemeral frames that are too big, malformed, for a room one is not in, or a flood", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "eph", ["pia", "quinn"]);
      const [pia, quinn] = members as [CommuneClient, CommuneClient];
      const room = await admin.createRoom("eph", { kind: "group", name: "Stewards", memberIds: [(await pia.me()).id] });
      const frames = (c: CommuneClient) => {
        const got: ServerFrame[] = [];
        let closed: number | null = null;
        const conn = c.connect((f) => got.push(f), (code) => (closed = code));
        return { conn, got, closed: () => closed };
      };
      const piaLive = frames(pia);
      const quinnLive = frames(quinn);
      const adminLive = frames(admin);
      await Promise.all([piaLive.conn.ready, quinnLive.conn.ready, adminLive.conn.ready]);
      const errors = (l: { got: ServerFrame[] }) => l.got.filter((f) => f.type === "error").map((f) => (f as { code: string }).code);
      const ephemeral = (l: { got: ServerFrame[] }) => l.got.filter((f) => f.type === "ephemeral");

      piaLive.conn.sendEphemeral({ roomId: room.id, epoch: 0, data: "A".repeat(EPHEMERAL_MAX_CHARS + 1000) });
      await until(() => errors(piaLive).length === 1, "an answer to the oversized frame");
      piaLive.conn.sendEphemeral({ roomId: room.id, epoch: -1, data: "!!" });
      await until(() => errors(piaLive).length === 2, "an answer to the malformed frame");
      quinnLive.conn.sendEphemeral({ roomId: room.id, epoch: 0, data: "AAAA" });
      await until(() => errors(quinnLive).length === 1, "an answer to the outsider");
      assert.deepEqual(errors(piaLive), ["payload_too_large", "validation_failed"]);
      assert.deepEqual(errors(quinnLive), ["not_found"]);
      // a good one is relayed to the other member only
      piaLive.conn.sendEphemeral({ roomId: room.id, epoch: 0, data: "AAAA" });
      await until(() => ephemeral(adminLive).length === 1, "the relayed frame");
      assert.equal(ephemeral(quinnLive).length, 0);
      assert.deepEqual(ephemeral(adminLive)[0], { type: "ephemeral", roomId: room.id, senderDeviceId: pia.device!.deviceId, epoch: 0, data: "AAAA" });

      // a flood: first refused frame by frame, then the socket is closed with 4429
      for (let i = 0; i < 200 && piaLive.closed() === null; i++) piaLive.conn.sendEphemeral({ roomId: room.id, epoch: 0, data: "AAAA" });
      await until(() => piaLive.closed() !== null, "the flooding socket to close");
      assert.equal(piaLive.closed(), 4429);
      assert.ok(errors(piaLive).includes("rate_limited"));
      assert.ok(ephemeral(adminLive).length <= 20, "no more than the soft limit got through");
      // the room is unharmed
      assert.equal((await admin.room(room.id)).lastSeq, 0);
      for (const l of [quinnLive, adminLive]) l.conn.close();
    });

    it("any ephemeral frame a device sends gets a relay or an error frame, never a crash (property)", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "prop", ["ray"]);
      const room = await admin.createRoom("prop", { kind: "group", name: "Props", memberIds: [(await members[0]!.me()).id] });
      const got: ServerFrame[] = [];
      const relayed: ServerFrame[] = [];
      let closed: number | null = null;
      const conn = admin.connect((f) => got.push(f), (code) => (closed = code));
      const ray = members[0]!.connect((f) => f.type === "ephemeral" && relayed.push(f));
      await Promise.all([conn.ready, ray.ready]);
      const hostile = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.constantFrom(room.id, "", "../x", "__proto__", "x".repeat(65)),
      );
      const frame = fc.record(
        {
          roomId: fc.oneof(fc.constant(room.id), hostile),
          epoch: fc.oneof(fc.nat({ max: 5 }), fc.integer({ min: -5, max: -1 }), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
          data: fc.oneof(fc.base64String({ maxLength: 400 }).map((s) => s.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")), hostile),
          extra: fc.anything({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      );
      // below the soft rate limit: every frame gets exactly one answer, a relay or an error
      await fc.assert(
        fc.asyncProperty(frame, async (f) => {
          const [errorsBefore, relayedBefore] = [got.filter((g) => g.type === "error").length, relayed.length];
          conn.sendEphemeral(f as never);
          await until(() => got.filter((g) => g.type === "error").length > errorsBefore || relayed.length > relayedBefore || closed !== null, "an answer");
          assert.equal(closed, null);
          const wire = JSON.parse(JSON.stringify({ type: "ephemeral", ...f })) as unknown;
          if (EphemeralFrame.safeParse(wire).success && f.roomId === room.id) {
            assert.equal(relayed.length, relayedBefore + 1);
          } else {
            const answer = got.at(-1) as { type: string; code?: string };
            assert.equal(answer.type, "error");
            assert.ok(["validation_failed", "payload_too_large", "not_found"].includes(answer.code!), answer.code);
          }
        }),
        { numRuns: 18 },
      );
      assert.equal((await admin.room(room.id)).lastSeq, 0);
      conn.close();
      ray.close();
    });
  });
}

describe("the ephemeral frame parser (property)", () => {
  it("accepts exactly the well-formed frames and never throws", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = EphemeralFrame.safeParse(value);
        if (result.success) {
          assert.equal(result.data.type, "ephemeral");
          assert.match(result.data.roomId, /^[A-Za-z0-9_-]{1,64}$/);
          assert.ok(Number.isInteger(result.data.epoch) && result.data.epoch >= 0);
          assert.ok(result.data.data.length <= EPHEMERAL_MAX_CHARS);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        fc.nat(),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/),
        (roomId, epoch, data) => EphemeralFrame.safeParse({ type: "ephemeral", roomId, epoch, data }).success,
      ),
    );
    assert.equal(EphemeralFrame.safeParse({ type: "ephemeral", roomId: "r", epoch: 0, data: "A".repeat(EPHEMERAL_MAX_CHARS + 1) }).success, false);
    assert.equal(EphemeralFrame.safeParse({ type: "ephemeral", roomId: "r", epoch: 0, data: "AA", more: 1 }).success, false);
  });
});
