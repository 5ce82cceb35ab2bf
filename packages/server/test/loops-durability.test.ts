/**
 * kill -9 in the middle of a burst of sends: after a restart, every message whose send was
 * acknowledged is in the log, exactly once and in order, for every member's device; and a client
 * retrying an unacknowledged send (same id) gets it stored once.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CommuneClient } from "@commune/client";
import type { RoomEvent } from "@commune/protocol";
import { PASSWORD } from "./helpers.ts";
import { freePort, serve } from "./process.ts";

describe("loops durability", () => {
  it("every acknowledged message survives kill -9, exactly once, in order, for every member", async () => {
    const data = await mkdtemp(join(tmpdir(), "commune-kill-"));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await serve(data, port);
    try {
      const admin = new CommuneClient({ baseUrl: base });
      await admin.signUp({ username: "ada", password: PASSWORD, invite: server.link! });
      await admin.createOrganization({ name: "Durable", slug: "durable", visibility: "private", languages: ["en"] });
      const names = ["bo", "cy", "di"];
      const members: CommuneClient[] = [];
      for (const name of names) {
        const invite = await admin.createInvite("durable", { role: "member", expiresInHours: 1, maxUses: 1 });
        const c = new CommuneClient({ baseUrl: base });
        await c.signUp({ username: name, password: PASSWORD, invite: invite.token });
        members.push(c);
      }
      const memberIds = await Promise.all(members.map(async (m) => (await m.me()).id));
      const room = await admin.createRoom("durable", { kind: "group", name: "Burst", memberIds });

      // three senders, each over its own socket, as fast as acknowledgements come back
      const acked = new Map<string, number>();
      const unacked: Array<{ sender: number; id: string; data: string }> = [];
      const senders = [admin, members[0]!, members[1]!];
      const sockets = senders.map((s) => s.connect(() => {}));
      await Promise.all(sockets.map((s) => s.ready));
      let killed = false;
      const bursts = sockets.map(async (socket, sender) => {
        for (let i = 0; !killed || i < 5; i++) {
          const message = { id: `s${sender}-${i}`, epoch: 0, data: randomBytes(300).toString("base64url") };
          try {
            acked.set(message.id, await socket.send(room.id, message));
          } catch {
            unacked.push({ sender, ...message });
            return;
          }
        }
      });
      // let the burst run, then kill the process without warning
      const exited = new Promise((r) => server.child.once("exit", r));
      const deadline = Date.now() + 30_000;
      while (acked.size < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      server.child.kill("SIGKILL");
      killed = true;
      await Promise.all(bursts);
      await exited;
      assert.ok(acked.size >= 150);

      server = await serve(data, port);
      // clients retry what was not acknowledged, with the same ids
      for (const u of unacked) await senders[u.sender]!.sendMessage(room.id, { id: u.id, epoch: 0, data: u.data });
      for (const u of unacked) await senders[u.sender]!.sendMessage(room.id, { id: u.id, epoch: 0, data: u.data });

      for (const reader of [admin, ...members]) {
        const events: RoomEvent[] = [];
        for (let after = 0; ; ) {
          const page = await reader.events(room.id, after, 1000);
          if (page.length === 0) break;
          events.push(...page);
          after = page[page.length - 1]!.seq;
        }
        const seqs = events.map((e) => e.seq);
        assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "in order");
        assert.equal(new Set(seqs).size, seqs.length, "no sequence number twice");
        const ids = events.map((e) => e.clientId);
        assert.equal(new Set(ids).size, ids.length, "each message once");
        for (const [id, seq] of acked) {
          const found = events.find((e) => e.clientId === id);
          assert.ok(found, `acknowledged message ${id} survived`);
          assert.equal(found.seq, seq, `${id} kept the sequence number it was acknowledged with`);
        }
        for (const u of unacked) assert.ok(ids.includes(u.id), `retried message ${u.id} stored`);
      }
    } finally {
      server.child.kill("SIGKILL");
      await rm(data, { recursive: true, force: true });
    }
  });
});
