/**
 * fast-check over random interleavings of adds, removes, leaves, new devices, concurrent commits
 * and messages across several headless clients doing real MLS through a real server: at the end
 * every device still in the room is in the same epoch with the same membership — the one the
 * server decided — and nobody reads a message sent while they were out.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CommuneClient, LoopEngine, MemoryDeviceStore, MemoryLoopStore } from "@commune/client";

import { PASSWORD, join, startServer } from "./helpers.ts";

const PEOPLE = ["ana", "ben", "cas", "dee"] as const;
type Person = (typeof PEOPLE)[number];

const op = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), who: fc.constantFrom(...PEOPLE) }),
  fc.record({ kind: fc.constant("remove" as const), who: fc.constantFrom(...PEOPLE) }),
  fc.record({ kind: fc.constant("leave" as const), who: fc.constantFrom(...PEOPLE) }),
  fc.record({ kind: fc.constant("device" as const), who: fc.constantFrom(...PEOPLE) }),
  fc.record({ kind: fc.constant("message" as const), who: fc.constantFrom("org", ...PEOPLE) }),
  fc.record({ kind: fc.constant("race" as const) }),
);

interface Device {
  readonly person: Person | "org";
  readonly client: CommuneClient;
  readonly engine: LoopEngine;
}

describe("loops under random interleavings", () => {
  it("every remaining device converges on the server's membership; no one reads what was sent while they were out", async () => {
    // many sign-ins from one address: each client names its own (the server trusts the header here)
    await using t = await startServer("sqlite", { trustProxy: true });
    let addresses = 0;
    const fresh = (name = "device") => {
      const address = `198.51.${(++addresses >> 8) & 255}.${addresses & 255}`;
      const viaAddress: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "x-forwarded-for": address } });
      return new CommuneClient({ baseUrl: t.url, deviceStore: new MemoryDeviceStore(), deviceName: name, fetch: viaAddress });
    };
    const organizer = await t.admin("org");
    await organizer.createOrganization({ name: "Interleavings", slug: "il", visibility: "private", languages: ["en"] });
    const accounts = new Map<Person, { client: CommuneClient; id: string }>();
    for (const p of PEOPLE) {
      const c = await join(t, organizer, "il", p);
      accounts.set(p, { client: c, id: (await c.me()).id });
    }
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 9 }), async (ops) => {
        run++;
        // each run starts with no devices for the people: the server lists every device of a
        // member as one to bring in, and a previous run's devices kept their keys elsewhere
        for (const p of PEOPLE) {
          const cleaner = fresh();
          await cleaner.signIn(p, PASSWORD);
          const own = cleaner.device!.deviceId;
          for (const d of await cleaner.devices()) if (d.id !== own) await cleaner.removeDevice(d.id);
          await cleaner.removeDevice(own);
        }
        const devices: Device[] = [];
        const newDevice = async (person: Person | "org", client?: CommuneClient) => {
          let c = client;
          if (!c) {
            c = fresh(`${person}-${devices.length}`);
            await c.signIn(person, PASSWORD);
          }
          const engine = new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 4 });
          await engine.start();
          const d = { person, client: c, engine };
          devices.push(d);
          return d;
        };
        const org = await newDevice("org", organizer);
        const room = await org.engine.createRoom("il", { kind: "group", name: `run ${run}`, memberIds: [] });
        const inRoom = new Set<Person>();
        const sentWhileOut = new Map<Person, string[]>();
        const texts: string[] = [];
        const inside = () => devices.filter((d) => d.person === "org" || inRoom.has(d.person as Person));
        const anyInside = () => {
          const candidates = inside();
          return candidates[(texts.length + devices.length) % candidates.length]!;
        };
        const catchUp = async (d: Device) => {
          await d.engine.acceptWelcomes();
          await d.engine.sync(room.id);
        };

        for (const o of ops) {
          if (o.kind === "add" && !inRoom.has(o.who)) {
            await organizer.addRoomMember(room.id, accounts.get(o.who)!.id);
            inRoom.add(o.who);
            if (!devices.some((d) => d.person === o.who)) await newDevice(o.who);
            await anyInside().engine.reconcile(room.id);
          } else if ((o.kind === "remove" || o.kind === "leave") && inRoom.has(o.who)) {
            const by = o.kind === "leave" ? (devices.find((d) => d.person === o.who)?.client ?? organizer) : organizer;
            await by.removeRoomMember(room.id, accounts.get(o.who)!.id);
            inRoom.delete(o.who);
            await anyInside().engine.reconcile(room.id);
          } else if (o.kind === "device") {
            await newDevice(o.who);
            if (inRoom.has(o.who)) await anyInside().engine.reconcile(room.id);
          } else if (o.kind === "message") {
            const senders = inside().filter((d) => d.person === o.who);
            const sender = senders[0];
            if (!sender) continue;
            await catchUp(sender);
            if (!(await sender.engine.joined(room.id))) continue;
            const text = `run ${run} message ${texts.length}`;
            await sender.engine.send(room.id, { type: "text", body: text });
            texts.push(text);
            for (const p of PEOPLE) if (!inRoom.has(p)) sentWhileOut.set(p, [...(sentWhileOut.get(p) ?? []), text]);
          } else if (o.kind === "race") {
            // two devices commit at the same moment: one wins, the other converges
            const [a, b] = inside();
            if (a && b) await Promise.all([a.engine.reconcile(room.id), b.engine.reconcile(room.id)]);
          }
        }

        // settle: welcomes, one more reconcile, then everyone reads
        for (const d of inside()) await catchUp(d);
        await org.engine.reconcile(room.id);
        for (const d of devices) await catchUp(d);

        const detail = await organizer.room(room.id);
        const expected = detail.members.flatMap((m) => m.devices.map((d) => d.id)).sort();
        const epochs = new Set<string>();
        for (const d of inside()) {
          assert.ok(await d.engine.joined(room.id), `${d.person}'s device is in the group`);
          epochs.add(String(await d.engine.epoch(room.id)));
          assert.deepEqual(await d.engine.memberDevices(room.id), expected, `${d.person}'s view of the membership`);
        }
        assert.equal(epochs.size, 1, `one epoch for everyone: ${[...epochs].join(", ")}`);
        for (const d of devices) {
          if (d.person === "org") continue;
          const read = new Set((await d.engine.history(room.id)).map((m) => (m.content.type === "text" ? m.content.body : "")));
          for (const text of sentWhileOut.get(d.person) ?? []) assert.equal(read.has(text), false, `${d.person} read "${text}", sent while out`);
        }
        // after settling, a message reaches every device inside
        const last = `run ${run} final`;
        await org.engine.send(room.id, { type: "text", body: last });
        for (const d of inside()) {
          if (d === org) continue;
          await d.engine.sync(room.id);
          const bodies = (await d.engine.history(room.id)).map((m) => (m.content.type === "text" ? m.content.body : ""));
          assert.ok(bodies.includes(last), `${d.person} reads the final message`);
        }
      }),
      { numRuns: Number(process.env.COMMUNE_INTERLEAVING_RUNS ?? 12) },
    );
  });
});
