/**
 * Safety numbers, verified contacts and key-change warnings with headless clients against a real
 * server (SQLite and PostgreSQL): two people compare numbers and codes, one marks the other
 * verified; the other adds a device, and the first sees the change, loses the verified mark and
 * keeps a warning until acknowledging it; removing the device is a change too. The stores keep
 * what they should on the device and read damaged data as nothing.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CommuneClient, ContactVerifier, LoopEngine, MemoryDeviceStore, MemoryLoopStore, MemoryVerificationStore, asciiDigits, checkSafetyCode, type SafetyComparison } from "@commune/client";
import { FileVerificationStore } from "@commune/client/node";
import { DIALECTS, PASSWORD, orgWithMembers, startServer } from "../../server/test/helpers.ts";
import { LoopStoreVerificationStore, parseContactRecord } from "../src/verification/index.ts";

const toArabicIndic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCodePoint(0x660 + Number(d)));
const toFullWidth = (digits: string) => digits.replace(/\d/g, (d) => String.fromCodePoint(0xff10 + Number(d)));
const grouped = (digits: string) => digits.replace(/(\d{5})(?=\d)/g, "$1 ");

for (const dialect of DIALECTS) {
  describe(`safety numbers and key changes (${dialect})`, () => {
    it("two people compare, one verifies; a new device of the other warns, a removed one too", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "safe", ["bea"]);
      const bea = members[0]!;
      const beaId = (await bea.me()).id;
      const rosaId = (await admin.me()).id;
      const rosa = new LoopEngine(admin, new MemoryLoopStore(), { keyPackageStock: 3 });
      const beaLaptop = new LoopEngine(bea, new MemoryLoopStore(), { keyPackageStock: 3 });
      await rosa.start();
      await beaLaptop.start();
      const room = await rosa.createRoom("safe", { kind: "group", name: "Organizing committee", memberIds: [beaId] });
      assert.deepEqual(await beaLaptop.acceptWelcomes(), [room.id]);

      const atRosa = new ContactVerifier(rosa, new MemoryVerificationStore());
      const atBea = new ContactVerifier(beaLaptop, new MemoryVerificationStore());
      // first sight: remembered, no warning
      assert.deepEqual(await atRosa.check(), []);
      assert.deepEqual(await atBea.check(), []);
      assert.equal((await atRosa.contact(beaId)).status, "unverified");
      assert.equal((await atRosa.contact(beaId)).keys.length, 1);

      // ---- the same 60 digits on both screens; each side's code checks out on the other ----
      const fromRosa = (await atRosa.compare(beaId))!;
      const fromBea = (await atBea.compare(rosaId))!;
      assert.match(fromRosa.number, /^\d{60}$/);
      assert.equal(fromBea.number, fromRosa.number);
      assert.deepEqual([fromRosa.ownDevices, fromRosa.theirDevices], [1, 1]);
      assert.deepEqual(fromRosa.rooms, [room.id]);
      assert.equal(await atRosa.compare(rosaId), null, "no safety number with oneself");
      assert.equal(await atRosa.compare("nobody-at-all"), null);
      assert.equal(atRosa.checkCode(fromRosa, fromBea.qr), "match");
      assert.equal(atBea.checkCode(fromBea, fromRosa.qr), "match");
      assert.equal(atRosa.checkCode(fromRosa, fromRosa.qr), "mismatch", "one's own code is not the other's");
      assert.equal(atRosa.checkCode(fromRosa, grouped(fromBea.number)), "match");
      assert.equal(atRosa.checkCode(fromRosa, toArabicIndic(grouped(fromBea.number))), "match");
      assert.equal(atRosa.checkCode(fromRosa, toFullWidth(fromBea.number)), "match");
      const wrong = (fromBea.number[0] === "9" ? "0" : "9") + fromBea.number.slice(1);
      assert.equal(atRosa.checkCode(fromRosa, wrong), "mismatch");
      assert.equal(atRosa.checkCode(fromRosa, fromBea.number.slice(0, 55)), "invalid");
      assert.equal(atRosa.checkCode(fromRosa, "call me"), "invalid");

      const marked = await atRosa.markVerified(fromRosa);
      assert.equal(marked.ok, true);
      assert.equal((await atRosa.contact(beaId)).status, "verified");
      assert.deepEqual(await atRosa.check(), [], "nothing changed");

      // ---- bea signs in on a phone: the committee's loop brings it in ----
      const phoneClient = new CommuneClient({ baseUrl: t.url, deviceStore: new MemoryDeviceStore(), deviceName: "phone" });
      await phoneClient.signIn("bea", PASSWORD);
      const beaPhone = new LoopEngine(phoneClient, new MemoryLoopStore(), { keyPackageStock: 3 });
      await beaPhone.start();
      assert.deepEqual(await rosa.reconcile(room.id), { added: 1, removed: 0 });
      assert.deepEqual(await beaPhone.acceptWelcomes(), [room.id]);
      await beaLaptop.sync(room.id);

      const changes = await atRosa.check();
      assert.equal(changes.length, 1);
      assert.equal(changes[0]!.accountId, beaId);
      assert.equal(changes[0]!.added.length, 1);
      assert.deepEqual(changes[0]!.removed, []);
      assert.equal(changes[0]!.wasVerified, true);
      const changed = await atRosa.contact(beaId);
      assert.equal(changed.status, "changed", "a verified contact whose keys changed is no longer verified");
      assert.ok(changed.change);
      assert.deepEqual(await atRosa.check(), [], "one change is reported once");
      assert.ok((await atRosa.contact(beaId)).change, "the warning stays until acknowledged");
      assert.deepEqual(await atBea.check(), [], "rosa's keys did not change");

      // the old comparison no longer holds; the new number is different, and the same on bea's phone
      assert.deepEqual(await atRosa.markVerified(fromRosa), { ok: false, reason: "keys_changed" });
      const again = (await atRosa.compare(beaId))!;
      assert.notEqual(again.number, fromRosa.number);
      assert.equal(again.theirDevices, 2);
      const atPhone = new ContactVerifier(beaPhone, new MemoryVerificationStore());
      assert.deepEqual(await atPhone.check(), [], "a new device starts with no warnings");
      assert.equal((await atPhone.contact(rosaId)).status, "unverified", "verification belongs to the device that made it");
      const fromPhone = (await atPhone.compare(rosaId))!;
      assert.equal(fromPhone.number, again.number);
      assert.equal((await atBea.compare(rosaId))!.number, again.number);
      assert.equal(atRosa.checkCode(again, fromPhone.qr), "match");

      // acknowledging hides the warning but does not bring the mark back; verifying again does
      const acknowledged = await atRosa.acknowledge(beaId);
      assert.equal(acknowledged.change, null);
      assert.equal(acknowledged.status, "changed");
      assert.equal((await atRosa.markVerified(again)).ok, true);
      assert.equal((await atRosa.contact(beaId)).status, "verified");

      // ---- bea removes the phone: its leaf leaves the group, and that is a change too ----
      await bea.removeDevice(phoneClient.device!.deviceId);
      assert.deepEqual(await rosa.reconcile(room.id), { added: 0, removed: 1 });
      const removal = await atRosa.check();
      assert.equal(removal.length, 1);
      assert.deepEqual(removal[0]!.added, []);
      assert.equal(removal[0]!.removed.length, 1);
      assert.equal((await atRosa.contact(beaId)).status, "changed");
      assert.equal((await atRosa.compare(beaId))!.number, fromRosa.number, "back to the laptop alone: the first number again");
      assert.equal(
        (await atRosa.contact(beaId)).status,
        "changed",
        "the mark follows the keys last verified (laptop and phone), not an older verification",
      );
    });

    it("a replaced key is reported as one key gone and one new, and an earlier unacknowledged change is kept", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "swap", ["cy"]);
      const cyId = (await members[0]!.me()).id;
      const rosa = new LoopEngine(admin, new MemoryLoopStore(), { keyPackageStock: 3 });
      const cy = new LoopEngine(members[0]!, new MemoryLoopStore(), { keyPackageStock: 3 });
      await rosa.start();
      await cy.start();
      await rosa.createRoom("swap", { kind: "direct", accountId: cyId });
      await cy.acceptWelcomes();
      const store = new MemoryVerificationStore();
      const verifier = new ContactVerifier(rosa, store, { now: () => 1_000 });
      const [current] = (await verifier.identities()).get(cyId)!.keys;
      // what this device saw before: cy with another key, verified, and an earlier warning not yet seen
      const oldKey = "A".repeat(43);
      const otherKey = "B".repeat(43);
      await store.save({ accountId: cyId, keys: [oldKey], seenAt: 1, verifiedKeys: [oldKey], verifiedAt: 1, change: { accountId: cyId, added: [oldKey], removed: [otherKey], at: 1, wasVerified: false } });
      const [change] = await verifier.check();
      assert.ok(change);
      assert.deepEqual(change.added, [oldKey, current!].sort());
      assert.deepEqual(change.removed, [oldKey, otherKey].sort());
      assert.equal(change.wasVerified, true);
      assert.equal(change.at, 1_000);
      const contact = await verifier.contact(cyId);
      assert.equal(contact.status, "changed");
      assert.deepEqual(contact.keys, [current]);
      // unverify takes the mark away entirely
      assert.equal((await verifier.unverify(cyId)).status, "unverified");
    });
  });
}

describe("verification stores", () => {
  const record = (accountId: string, keys: string[]) => ({ accountId, keys, seenAt: 5, verifiedKeys: keys, verifiedAt: 6, change: null });

  it("a file keeps records between runs, readable by its owner only, and reads damage as nothing", async () => {
    const folder = await mkdtemp(join(tmpdir(), "commune-verification-"));
    try {
      const path = join(folder, "nested", "contacts.json");
      const first = new FileVerificationStore(path);
      assert.deepEqual(await first.all(), []);
      await Promise.all([first.save(record("a1", ["k1"])), first.save(record("b2", ["k2", "k3"]))]);
      const second = new FileVerificationStore(path);
      assert.deepEqual(await second.load("a1"), record("a1", ["k1"]));
      assert.equal((await second.all()).length, 2);
      const { stat } = await import("node:fs/promises");
      assert.equal((await stat(path)).mode & 0o077, 0, "no access for group or others");
      await writeFile(path, JSON.stringify([{ accountId: "x" }, record("c3", ["k4"]), 7, null]));
      assert.deepEqual((await new FileVerificationStore(path).all()).map((r) => r.accountId), ["c3"]);
      await writeFile(path, "{not json");
      await assert.rejects(new FileVerificationStore(path).all(), SyntaxError, "a file that is not JSON is an error, not silently emptied");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("records in a LoopStore live under their own prefix and survive damaged entries", async () => {
    const loopStore = new MemoryLoopStore();
    const store = new LoopStoreVerificationStore(loopStore);
    await store.save(record("a1", ["k1"]));
    await loopStore.set("contact:zz", new TextEncoder().encode("{oops"));
    await loopStore.set("room:r1", new TextEncoder().encode("{}"));
    assert.deepEqual(await store.load("a1"), record("a1", ["k1"]));
    assert.equal(await store.load("zz"), null);
    assert.deepEqual((await store.all()).map((r) => r.accountId), ["a1"]);
  });
});

describe("parsers of what people type and what storage holds (properties)", () => {
  const number = "".padStart(60, "0123456789");
  const comparison: SafetyComparison = { ownAccountId: "me", accountId: "them", number, qr: `CSN1${"A".repeat(86)}`, ownKeys: ["AQ"], theirKeys: ["Ag"], ownDevices: 1, theirDevices: 1, rooms: [] };

  it("checkCode never throws, and says match only for the number itself", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const result = checkSafetyCode(comparison, input);
        assert.ok(["match", "mismatch", "invalid"].includes(result));
        if (result === "match") assert.equal(asciiDigits(input), number);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(" ", "-", "\u00a0", "\u3000"), { minLength: 60, maxLength: 60 }), (separators) => {
        const spaced = [...number].map((d, i) => d + separators[i]).join("");
        assert.equal(checkSafetyCode(comparison, spaced), "match");
      }),
    );
  });

  it("asciiDigits keeps every digit of every supported script, and refuses letters", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,80}$/), (digits) => {
        assert.equal(asciiDigits(toArabicIndic(digits)), digits);
        assert.equal(asciiDigits(toFullWidth(digits)), digits);
        assert.equal(asciiDigits(`${digits}x`), null);
      }),
    );
  });

  it("parseContactRecord accepts only well-formed records and never throws", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = parseContactRecord(value);
        if (parsed) assert.equal(typeof parsed.accountId, "string");
      }),
    );
    const good = record("a", ["k"]);
    assert.deepEqual(parseContactRecord(JSON.parse(JSON.stringify(good))), good);
    assert.equal(parseContactRecord({ ...good, verifiedKeys: [1] }), null);
    assert.equal(parseContactRecord({ ...good, change: { accountId: "a" } }), null);
  });

  function record(accountId: string, keys: string[]) {
    return { accountId, keys, seenAt: 5, verifiedKeys: keys, verifiedAt: 6, change: null };
  }
});
