/**
 * The MLS interop test vectors (mlswg/mls-implementations) for cipher suite 1, run through ts-mls
 * with Commune's crypto provider: key schedule, secret tree, transcript hashes, message
 * protection, Welcome, tree math, and whole passive-client histories (join by Welcome, then
 * process proposals and commits, checking each epoch's authenticator).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeMlsMessage, defaultCapabilities, defaultKeyRetentionConfig, getCiphersuiteFromName, joinGroup, makePskIndex, mlsExporter, processPrivateMessage, processPublicMessage, type CiphersuiteImpl, type PrivateKeyPackage, type RatchetTree } from "ts-mls";
import { decodeAuthenticatedContent } from "ts-mls/authenticatedContent.js";
import { encodeCommit } from "ts-mls/commit.js";
import { encodeGroupContext, type GroupContext } from "ts-mls/groupContext.js";
import { verifyGroupInfoConfirmationTag, verifyGroupInfoSignature } from "ts-mls/groupInfo.js";
import { makeKeyPackageRef } from "ts-mls/keyPackage.js";
import { initializeEpoch } from "ts-mls/keySchedule.js";
import { unprotectPrivateMessage } from "ts-mls/messageProtection.js";
import { unprotectPublicMessage } from "ts-mls/messageProtectionPublic.js";
import { encodeProposal } from "ts-mls/proposal.js";
import { decodeRatchetTree } from "ts-mls/ratchetTree.js";
import { createSecretTree, ratchetToGeneration } from "ts-mls/secretTree.js";
import { expandSenderDataKey, expandSenderDataNonce } from "ts-mls/sender.js";
import { createConfirmedHash, createInterimHash } from "ts-mls/transcriptHash.js";
import { left, nodeWidth, parent, right, root, sibling, toNodeIndex } from "ts-mls/treemath.js";
import { decryptGroupInfo, decryptGroupSecrets } from "ts-mls/welcome.js";
import { communeCryptoProvider } from "../src/mls/crypto/provider.ts";
import { hex, vectors } from "./mls-helpers.ts";

const SUITE1 = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";
const backends = ["webcrypto", "noble"] as const;
const implFor = (backend: (typeof backends)[number]): Promise<CiphersuiteImpl> => communeCryptoProvider(backend).getCiphersuiteImpl(getCiphersuiteFromName(SUITE1));

function groupContext(groupId: string, epoch: bigint, treeHash: string, confirmed: string): GroupContext {
  return { version: "mls10", cipherSuite: SUITE1, groupId: hex(groupId), epoch, treeHash: hex(treeHash), confirmedTranscriptHash: hex(confirmed), extensions: [] };
}

interface KeyScheduleVector {
  group_id: string;
  initial_init_secret: string;
  epochs: Record<string, string> extends infer _ ? {
    commit_secret: string; confirmation_key: string; confirmed_transcript_hash: string; encryption_secret: string; epoch_authenticator: string;
    exporter: { context: string; label: string; length: number; secret: string }; exporter_secret: string; external_pub: string; external_secret: string;
    group_context: string; init_secret: string; joiner_secret: string; membership_key: string; psk_secret: string; resumption_psk: string;
    sender_data_secret: string; tree_hash: string; welcome_secret: string;
  }[] : never;
}

for (const backend of backends) {
  describe(`MLS interop vectors, suite 1, Commune provider (${backend} public-key backend)`, () => {
    it("key-schedule: every epoch secret, the exporter and the external key", async () => {
      const cs = await implFor(backend);
      for (const v of vectors<KeyScheduleVector>("key-schedule")) {
        let initSecret = hex(v.initial_init_secret);
        for (const [i, e] of v.epochs.entries()) {
          const gc = groupContext(v.group_id, BigInt(i), e.tree_hash, e.confirmed_transcript_hash);
          assert.deepEqual(encodeGroupContext(gc), hex(e.group_context));
          const s = await initializeEpoch(initSecret, hex(e.commit_secret), gc, hex(e.psk_secret), cs.kdf);
          assert.deepEqual(s.joinerSecret, hex(e.joiner_secret));
          assert.deepEqual(s.welcomeSecret, hex(e.welcome_secret));
          assert.deepEqual(s.encryptionSecret, hex(e.encryption_secret));
          const k = s.keySchedule;
          for (const [ours, theirs] of [
            [k.initSecret, e.init_secret], [k.senderDataSecret, e.sender_data_secret], [k.exporterSecret, e.exporter_secret],
            [k.externalSecret, e.external_secret], [k.confirmationKey, e.confirmation_key], [k.membershipKey, e.membership_key],
            [k.resumptionPsk, e.resumption_psk], [k.epochAuthenticator, e.epoch_authenticator],
          ] as const) assert.deepEqual(ours, hex(theirs));
          const external = await cs.hpke.deriveKeyPair(k.externalSecret);
          assert.deepEqual(await cs.hpke.exportPublicKey(external.publicKey), hex(e.external_pub));
          // the vector generators pass the label's hex text itself as the label
          assert.deepEqual(await mlsExporter(k.exporterSecret, e.exporter.label, hex(e.exporter.context), e.exporter.length, cs), hex(e.exporter.secret));
          initSecret = k.initSecret;
        }
      }
    });

    it("secret-tree: sender data keys and every leaf's ratchets", async () => {
      const cs = await implFor(backend);
      type Leaf = { generation: number; handshake_key: string; handshake_nonce: string; application_key: string; application_nonce: string };
      type V = { encryption_secret: string; sender_data: { sender_data_secret: string; ciphertext: string; key: string; nonce: string }; leaves: Leaf[][] };
      for (const v of vectors<V>("secret-tree")) {
        const sd = v.sender_data;
        assert.deepEqual(await expandSenderDataKey(cs, hex(sd.sender_data_secret), hex(sd.ciphertext)), hex(sd.key));
        assert.deepEqual(await expandSenderDataNonce(cs, hex(sd.sender_data_secret), hex(sd.ciphertext)), hex(sd.nonce));
        // the tree is lazy (patches/ts-mls+1.6.4.patch): each leaf's ratchets are derived on first
        // use, here from a fresh tree for every generation, and from one tree leaf after leaf
        const fresh = await createSecretTree(v.leaves.length, hex(v.encryption_secret), cs.kdf);
        let shared = fresh;
        const config = { ...defaultKeyRetentionConfig, maximumForwardRatchetSteps: 1 << 20 };
        const reuseGuard = new Uint8Array(4) as Uint8Array & { length: 4 };
        for (const [leafIndex, generations] of [...v.leaves.entries()].reverse()) {
          for (const g of generations) {
            for (const [contentType, key, nonce] of [["commit", g.handshake_key, g.handshake_nonce], ["application", g.application_key, g.application_nonce]] as const) {
              const at = await ratchetToGeneration(fresh, { leafIndex, generation: g.generation, reuseGuard }, contentType, config, cs);
              assert.deepEqual(at.key, hex(key));
              assert.deepEqual(at.nonce, hex(nonce));
            }
          }
          const [first] = generations;
          if (first) shared = (await ratchetToGeneration(shared, { leafIndex, generation: first.generation, reuseGuard }, "application", config, cs)).newTree;
        }
        // every leaf derived: nothing of the tree's upper secrets is left
        assert.equal(Object.keys(shared.pending).length, 0);
        assert.equal(Object.keys(shared.leaves).length, v.leaves.length);
      }
    });

    it("transcript-hashes: confirmation tag, confirmed and interim hashes", async () => {
      const cs = await implFor(backend);
      type V = { confirmation_key: string; authenticated_content: string; interim_transcript_hash_before: string; confirmed_transcript_hash_after: string; interim_transcript_hash_after: string };
      for (const v of vectors<V>("transcript-hashes")) {
        const [ac] = decodeAuthenticatedContent(hex(v.authenticated_content), 0)!;
        assert.ok(ac.content.contentType === "commit" && ac.auth.contentType === "commit");
        assert.equal(await cs.hash.verifyMac(hex(v.confirmation_key), ac.auth.confirmationTag, hex(v.confirmed_transcript_hash_after)), true);
        const confirmed = await createConfirmedHash(hex(v.interim_transcript_hash_before), { wireformat: ac.wireformat, content: ac.content, signature: ac.auth.signature }, cs.hash);
        assert.deepEqual(confirmed, hex(v.confirmed_transcript_hash_after));
        assert.deepEqual(await createInterimHash(confirmed, ac.auth.confirmationTag, cs.hash), hex(v.interim_transcript_hash_after));
      }
    });

    it("message-protection: the vectors' public and private messages open and verify", async () => {
      const cs = await implFor(backend);
      type V = Record<"group_id" | "tree_hash" | "confirmed_transcript_hash" | "signature_pub" | "encryption_secret" | "sender_data_secret" | "membership_key" | "proposal" | "proposal_priv" | "proposal_pub" | "commit" | "commit_priv" | "commit_pub" | "application" | "application_priv", string> & { epoch: number };
      for (const v of vectors<V>("message-protection")) {
        const gc = groupContext(v.group_id, BigInt(v.epoch), v.tree_hash, v.confirmed_transcript_hash);
        // the sender is leaf 1; the tree only needs a leaf there
        const leaf = { leafNodeSource: "commit", hpkePublicKey: new Uint8Array(), signaturePublicKey: hex(v.signature_pub), capabilities: defaultCapabilities(), parentHash: new Uint8Array(), extensions: [], signature: new Uint8Array(), credential: { credentialType: "basic", identity: new Uint8Array() } };
        const tree = [undefined, undefined, { nodeType: "leaf", leaf }] as unknown as RatchetTree;
        for (const [field, expected] of [["proposal_pub", v.proposal], ["commit_pub", v.commit]] as const) {
          const [m] = decodeMlsMessage(hex(v[field]), 0)!;
          assert.equal(m.wireformat, "mls_public_message");
          if (m.wireformat !== "mls_public_message") continue;
          const c = await unprotectPublicMessage(hex(v.membership_key), gc, [], m.publicMessage, cs, hex(v.signature_pub));
          const encoded = c.content.contentType === "proposal" ? encodeProposal(c.content.proposal) : c.content.contentType === "commit" ? encodeCommit(c.content.commit) : undefined;
          assert.deepEqual(encoded, hex(expected));
        }
        for (const [field, expected] of [["proposal_priv", v.proposal], ["commit_priv", v.commit], ["application_priv", v.application]] as const) {
          const [m] = decodeMlsMessage(hex(v[field]), 0)!;
          assert.equal(m.wireformat, "mls_private_message");
          if (m.wireformat !== "mls_private_message") continue;
          const secretTree = await createSecretTree(2, hex(v.encryption_secret), cs.kdf);
          const r = await unprotectPrivateMessage(hex(v.sender_data_secret), m.privateMessage, secretTree, tree, gc, defaultKeyRetentionConfig, cs, hex(v.signature_pub));
          const c = r.content.content;
          const encoded = c.contentType === "proposal" ? encodeProposal(c.proposal) : c.contentType === "commit" ? encodeCommit(c.commit) : c.applicationData;
          assert.deepEqual(encoded, hex(expected));
        }
      }
    });

    it("welcome: group secrets and GroupInfo decrypt, tag and signature verify", async () => {
      const cs = await implFor(backend);
      for (const v of vectors<Record<"init_priv" | "key_package" | "signer_pub" | "welcome", string>>("welcome")) {
        const [w] = decodeMlsMessage(hex(v.welcome), 0)!;
        const [k] = decodeMlsMessage(hex(v.key_package), 0)!;
        assert.ok(w.wireformat === "mls_welcome" && k.wireformat === "mls_key_package");
        const ref = await makeKeyPackageRef(k.keyPackage, cs.hash);
        const secrets = await decryptGroupSecrets(await cs.hpke.importPrivateKey(hex(v.init_priv)), ref, w.welcome, cs.hpke);
        assert.ok(secrets);
        const psk = new Uint8Array(cs.kdf.size);
        const gi = await decryptGroupInfo(w.welcome, secrets.joinerSecret, psk, cs);
        assert.ok(gi);
        assert.equal(await verifyGroupInfoConfirmationTag(gi, secrets.joinerSecret, psk, cs), true);
        assert.equal(await verifyGroupInfoSignature(gi, hex(v.signer_pub), cs.signature), true);
      }
    });

    for (const file of ["passive-client-welcome", "passive-client-handling-commit"] as const) {
      it(`${file}: join, then every epoch's authenticator matches`, async () => {
        const cs = await implFor(backend);
        type V = {
          external_psks: { psk_id: string; psk: string }[]; key_package: string; signature_priv: string; encryption_priv: string; init_priv: string;
          welcome: string; ratchet_tree: string | null; initial_epoch_authenticator: string; epochs: { proposals: string[]; commit: string; epoch_authenticator: string }[];
        };
        for (const [i, v] of vectors<V>(file).entries()) {
          const [kp] = decodeMlsMessage(hex(v.key_package), 0)!;
          const [welcome] = decodeMlsMessage(hex(v.welcome), 0)!;
          assert.ok(kp.wireformat === "mls_key_package" && welcome.wireformat === "mls_welcome");
          const keys: PrivateKeyPackage = { hpkePrivateKey: hex(v.encryption_priv), initPrivateKey: hex(v.init_priv), signaturePrivateKey: hex(v.signature_priv) };
          const tree = v.ratchet_tree !== null ? decodeRatchetTree(hex(v.ratchet_tree), 0)?.[0] : undefined;
          const psks = Object.fromEntries(v.external_psks.map((p) => [Buffer.from(hex(p.psk_id)).toString("base64"), hex(p.psk)]));
          let state = await joinGroup(welcome.welcome, kp.keyPackage, keys, makePskIndex(undefined, psks), cs, tree);
          assert.deepEqual(state.keySchedule.epochAuthenticator, hex(v.initial_epoch_authenticator), `${file} #${i} initial`);
          for (const [n, epoch] of v.epochs.entries()) {
            for (const bytes of [...epoch.proposals, epoch.commit]) {
              const [m] = decodeMlsMessage(hex(bytes), 0)!;
              if (m.wireformat === "mls_private_message") state = (await processPrivateMessage(state, m.privateMessage, makePskIndex(state, psks), cs)).newState;
              else if (m.wireformat === "mls_public_message") state = (await processPublicMessage(state, m.publicMessage, makePskIndex(state, psks), cs)).newState;
              else assert.fail(`unexpected ${m.wireformat}`);
            }
            assert.deepEqual(state.keySchedule.epochAuthenticator, hex(epoch.epoch_authenticator), `${file} #${i} epoch ${n}`);
          }
        }
      });
    }
  });
}

describe("tree-math vectors (ts-mls's array-based tree arithmetic)", () => {
  it("root, left, right, parent and sibling of every node", () => {
    type V = { n_leaves: number; n_nodes: number; root: number; left: (number | null)[]; right: (number | null)[]; parent: (number | null)[]; sibling: (number | null)[] };
    for (const v of vectors<V>("tree-math")) {
      assert.equal(nodeWidth(v.n_leaves), v.n_nodes);
      assert.equal(root(v.n_leaves), v.root);
      for (let i = 0; i < v.n_nodes; i++) {
        const x = toNodeIndex(i);
        if (v.left[i] !== null) assert.equal(left(x), v.left[i]);
        if (v.right[i] !== null) assert.equal(right(x), v.right[i]);
        if (v.parent[i] !== null) assert.equal(parent(x, v.n_leaves), v.parent[i]);
        if (v.sibling[i] !== null) assert.equal(sibling(x, v.n_leaves), v.sibling[i]);
      }
    }
  });
});
