/**
 * Saved MLS states and the ts-mls patch they depend on (patches/ts-mls+1.6.4.patch): states saved
 * before the lazy secret tree (format 1) still open, and the patch is applied.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, it } from "node:test";
import { encode } from "ts-mls/codec/tlsEncoder.js";
import { uint8Encoder } from "ts-mls/codec/number.js";
import { varLenTypeEncoder } from "ts-mls/codec/variableLength.js";
import { createSecretTree } from "ts-mls/secretTree.js";
import { treeHashRoot } from "ts-mls/treeHash.js";
import { verifyParentHashes } from "ts-mls/parentHash.js";
import { unwrap } from "../src/mls/group-state.ts";
import * as mls from "../src/mls/index.ts";
import { decoder, deliver, device, encoder, failure, groupOf, must, send, type Device } from "./mls-helpers.ts";

const fixture = JSON.parse(readFileSync(new URL("./vectors/saved-state-format-1.json", import.meta.url), "utf8")) as {
  alice: string;
  bob: string;
  carol: string;
  pendingForBob: { message: string; text: string };
  pastEpochForBob: { message: string; text: string };
};
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));

describe("saved MLS states", () => {
  it("a state saved in format 1 (the whole secret tree) opens, reads what was pending, and goes on", async () => {
    const opened: Device[] = [];
    for (const name of ["alice", "bob", "carol"] as const) {
      const saved = bytes(fixture[name]);
      assert.equal(saved[4], 1, "the fixture is in format 1");
      const d = await device(name);
      opened.push({ ...d, group: must(await mls.decodeState(saved), `${name}'s state opens`).group });
    }
    const [alice, bob, carol] = opened as [Device, Device, Device];
    assert.deepEqual(mls.members(bob.group!).map((m) => m.identity.accountId).sort(), ["alice", "bob", "carol"]);
    // a message of the current epoch and one of the past epoch, sent before the upgrade
    const [pending] = await deliver(bytes(fixture.pendingForBob.message), [bob]);
    assert.ok(pending?.kind === "application" && decoder.decode(pending.plaintext) === fixture.pendingForBob.text);
    const [late] = await deliver(bytes(fixture.pastEpochForBob.message), [bob]);
    assert.ok(late?.kind === "application" && decoder.decode(late.plaintext) === fixture.pastEpochForBob.text);
    // every device sends again from its own ratchet, and a commit moves them all on
    for (const [from, to] of [[alice, [bob, carol]], [bob, [alice, carol]], [carol, [alice, bob]]] as const) {
      const text = `after the upgrade, from ${from.name}`;
      for (const r of await deliver(await send(from, text), [...to])) assert.ok(r.kind === "application" && decoder.decode(r.plaintext) === text);
    }
    const c = must(await mls.commitUpdate(bob.group!));
    bob.group = c.group;
    await deliver(c.commit, [alice, carol]);
    const [r] = await deliver(await send(carol, "new epoch"), [alice]);
    assert.ok(r?.kind === "application" && decoder.decode(r.plaintext) === "new epoch");
    // saved again, in the current format
    const resaved = mls.encodeState(alice.group!);
    assert.equal(resaved[4], 2);
    assert.deepEqual(mls.encodeState(must(await mls.decodeState(resaved)).group), resaved);
  });

  it("a damaged or unknown state is refused with a clear error", async () => {
    const saved = bytes(fixture.bob);
    for (const bad of [saved.slice(0, 40), Uint8Array.of(...saved.slice(0, 4), 9, ...saved.slice(5)), saved.slice(0, saved.length - 1)]) {
      const e = failure(await mls.decodeState(bad));
      assert.ok(e.code === "malformed", e.message);
    }
  });
});

describe("damaged saved states", () => {
  it("any flipped byte or cut end of a saved state (formats 1 and 2) gives a group or a clear error, never a throw", async () => {
    const devices = await Promise.all(["alice", "bob", "carol"].map((n) => device(n)));
    await groupOf("MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", devices);
    await deliver(await send(devices[0]!, "hello"), [devices[1]!, devices[2]!]);
    const states = [bytes(fixture.bob), mls.encodeState(devices[1]!.group!)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        fc.nat(),
        fc.oneof(fc.record({ flip: fc.integer({ min: 1, max: 255 }) }), fc.record({ cut: fc.constant(true) })),
        async (which, position, damage) => {
          const saved = states[which]!.slice();
          const at = position % saved.length;
          const damaged = "flip" in damage ? (saved.set([saved[at]! ^ damage.flip], at), saved) : saved.slice(0, at);
          const r = await mls.decodeState(damaged);
          if (!r.ok) return assert.ok(["malformed", "unsupported"].includes(r.error.code), r.error.code);
          // a state that still decodes may be wrong inside: using it fails cleanly, or works
          const sent = await mls.encrypt(r.group, encoder.encode("after damage"));
          assert.ok(sent.ok || typeof sent.error.code === "string");
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the ts-mls patch is applied (npm install runs patch-package)", () => {
  it("the secret tree is lazy: an epoch starts with the root secret only", async () => {
    const kdf = { size: 32 } as Parameters<typeof createSecretTree>[2];
    const tree = await createSecretTree(1024, new Uint8Array(32).fill(7), kdf);
    assert.deepEqual(Object.keys(tree.pending), [String(1023)]);
    assert.deepEqual(tree.leaves, {});
  });

  it("tree hashes remembered across epochs are the hashes of the tree computed afresh", async () => {
    const devices = await Promise.all(["alice", "bob", "carol", "dan", "erin"].map((n) => device(n)));
    const [alice, bob, carol, dan, erin] = devices as [Device, Device, Device, Device, Device];
    const suite = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";
    await groupOf(suite, [alice, bob, carol, dan]);
    const check = async (members: Device[]) => {
      for (const d of members) {
        const { state, ctx } = unwrap(d.group!);
        // a deep copy: no node object the cache has seen
        assert.deepEqual(await treeHashRoot(structuredClone(state.ratchetTree), ctx.impl.hash), state.groupContext.treeHash, d.name);
      }
    };
    const step = async (from: Device, c: { commit: Uint8Array; group: mls.MlsGroup }, others: Device[]) => {
      from.group = c.group;
      await deliver(c.commit, others);
      await check([from, ...others]);
    };
    await step(bob, must(await mls.commitUpdate(bob.group!)), [alice, carol, dan]);
    const [pkg] = await mls.generateKeyPackages(erin.credentials, 1, { suite });
    const added = must(await mls.commitAdd(alice.group!, [pkg!.keyPackage]));
    await step(alice, added, [bob, carol, dan]);
    erin.group = must(await mls.joinWelcome(added.welcome!, pkg!.secret)).group;
    await check([erin]);
    await step(carol, must(await mls.commitUpdate(carol.group!)), [alice, bob, dan, erin]);
    await step(erin, must(await mls.commitRemove(erin.group!, [{ accountId: "bob" }])), [alice, carol, dan]);
    await step(dan, must(await mls.commitUpdate(dan.group!)), [alice, carol, erin]);
    // parent hashes, checked with the remembered hashes, still catch a changed parent node
    const { state, ctx } = unwrap(erin.group!);
    assert.equal(await verifyParentHashes(state.ratchetTree, ctx.impl.hash), true);
    const tampered = state.ratchetTree.slice();
    const at = tampered.findIndex((n) => n?.nodeType === "parent" && n.parent.parentHash.length > 0);
    const node = tampered[at]!;
    assert.ok(node.nodeType === "parent");
    tampered[at] = { ...node, parent: { ...node.parent, parentHash: node.parent.parentHash.map((b) => b ^ 1) } };
    assert.equal(await verifyParentHashes(tampered, ctx.impl.hash), false);
  });

  it("a vector of 100,000 elements encodes without overflowing the stack", () => {
    const encoded = encode(varLenTypeEncoder(uint8Encoder))(Array.from({ length: 100_000 }, (_, i) => i & 0xff));
    assert.equal(encoded.length, 4 + 100_000);
    assert.equal(encoded[4 + 300], 300 & 0xff);
  });
});
