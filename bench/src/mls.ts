/**
 * mls: the cost of MLS group operations on one device, for both cipher suites, at group sizes
 * 10, 100, 1,000 (and 5,000 for the default suite in the full run), with Commune's crypto
 * provider and — in the full run — with ts-mls's own WebCrypto provider for comparison.
 *
 * For each suite, provider and size N, one device ("alice") creates the group and adds N-1
 * devices in a single commit (the fast way to build a big group; a Welcome to all of them), and
 * one of them ("bob") joins from that Welcome (join_new_group_ms). Alice then commits an update
 * (as any room has seen commits, the root of its tree now has keys), bob processes it, and,
 * `rounds` times (median reported):
 *
 *   add_commit_ms       alice builds a commit adding one new device (KeyPackage already fetched)
 *   add_process_ms      bob processes that commit
 *   add_join_ms         the new device joins from the Welcome (the tree travels inside it)
 *   remove_commit_ms    alice builds a commit removing that device again
 *   remove_process_ms   bob processes it Then encrypt_300b_ms / decrypt_300b_ms: alice encrypts 300-byte
 * messages, bob decrypts them (median). Sizes: the commits, the Welcome, bob's saved state.
 *
 * The tree is "blank" above the leaves after a batch add: only alice's own path has keys, so a
 * commit with an UpdatePath (remove) encrypts to every other leaf — the worst case, N-1 HPKE
 * encryptions. `remove_filled_*` is the same removal, in a second group, after a device in each
 * subtree beside alice's path and beside the removed leaves' paths has committed once, as members'
 * refreshes do over time (LoopEngine.refresh): then it needs about 2·log2(N) encryptions.
 * `*_path_encryptions` counts them (peekMessage).
 */
import {
  commitAdd,
  commitRemove,
  commitUpdate,
  createGroup,
  encodeState,
  encrypt,
  generateKeyPackages,
  generateSignatureKeyPair,
  joinWelcome,
  peekMessage,
  processMessage,
  type MemberCredentials,
  type MlsGroup,
  type MlsResult,
  type ProviderName,
  type SuiteName,
} from "@commune/crypto/mls";
import type { Reporter } from "./lib/output.ts";
import { median } from "./lib/stats.ts";

const SHORT: Record<SuiteName, string> = {
  MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519: "x25519",
  MLS_256_XWING_AES256GCM_SHA512_Ed25519: "xwing",
};

interface Plan {
  readonly provider: ProviderName;
  readonly suite: SuiteName;
  readonly sizes: readonly number[];
  /** Sizes at which the "filled tree" removal is measured as well. */
  readonly filledSizes: readonly number[];
}

function ok<T extends object>(r: MlsResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r;
}

async function credentials(accountId: string): Promise<MemberCredentials> {
  return { identity: { accountId, deviceId: "d1" }, signatureKeys: await generateSignatureKeyPair() };
}

async function timed<T>(samples: number[], f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await f();
  samples.push(performance.now() - t0);
  return value;
}

const encoder = new TextEncoder();
/** How many HPKE encryptions of path secrets a commit carries (its main cost in a large group). */
function pathEncryptions(commit: Uint8Array): number {
  const peeked = peekMessage(commit);
  return peeked.ok && peeked.message.wireformat === "public_message" ? peeked.message.pathEncryptions : 0;
}
/** Gives the event loop a turn: nothing else runs here, but it keeps timers and stderr honest. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Built {
  readonly alice: MlsGroup;
  readonly bob: MlsGroup;
  readonly bobJoinMs: number;
  readonly welcome: Uint8Array;
  readonly joiners: readonly { readonly secret: Uint8Array }[];
}

/** Alice adds n-1 devices in one commit; bob (leaf 1) joins from the Welcome. */
async function build(r: Reporter, prefix: string, plan: Plan, n: number, label: string): Promise<Built> {
  const { provider, suite } = plan;
  const options = { suite, provider };
  const t0 = performance.now();
  const alice = await credentials("alice");
  const created = ok(await createGroup(encoder.encode(`bench-${prefix}-${label}`), alice, options), "create").group;
  const joiners: { secret: Uint8Array; keyPackage: Uint8Array }[] = [];
  for (let i = 1; i < n; i++) {
    const [p] = await generateKeyPackages(await credentials(`m${i}`), 1, options);
    joiners.push({ secret: p!.secret, keyPackage: p!.keyPackage });
  }
  const tKeyPackages = performance.now();
  const batch = ok(await commitAdd(created, joiners.map((j) => j.keyPackage)), "batch add");
  const tBatch = performance.now();
  const bob = ok(await joinWelcome(batch.welcome!, joiners[0]!.secret, { provider }), "bob joins").group;
  const bobJoinMs = performance.now() - tBatch;
  r.log(
    `${prefix} (${label}): ${n - 1} key packages ${((tKeyPackages - t0) / 1000).toFixed(1)} s, batch commit ${((tBatch - tKeyPackages) / 1000).toFixed(1)} s, ` +
      `Welcome ${(batch.welcome!.length / 1e6).toFixed(2)} MB, bob joined in ${(performance.now() - tBatch).toFixed(0)} ms`,
  );
  return { alice: batch.group, bob, bobJoinMs, welcome: batch.welcome!, joiners };
}

async function scenario(r: Reporter, plan: Plan, n: number, rounds: number, messages: number): Promise<void> {
  const { provider, suite } = plan;
  const prefix = `${SHORT[suite]}_${provider === "commune" ? "commune" : "tsmls"}_n${n}`;
  const options = { suite, provider };
  const t0 = performance.now();
  const built = await build(r, prefix, plan, n, "blank tree");
  r.emit(`${prefix}_build_s`, (performance.now() - t0) / 1000, "s");
  r.emit(`${prefix}_join_new_group_ms`, built.bobJoinMs, "ms");
  // a room that has seen one commit with a path (any removal or update): the tree's root has keys
  const first = ok(await commitUpdate(built.alice), "first update");
  let a = first.group;
  let b = ok(await processMessage(built.bob, first.commit), "bob processes the update").group;

  const addCommit: number[] = [];
  const addProcess: number[] = [];
  const addJoin: number[] = [];
  const removeCommit: number[] = [];
  const removeProcess: number[] = [];
  let sizes = { add: 0, welcome: 0, remove: 0, encryptions: 0 };
  for (let round = 0; round < rounds; round++) {
    const [pkg] = await generateKeyPackages(await credentials(`new${round}`), 1, options);
    await breathe();
    const add = ok(await timed(addCommit, () => commitAdd(a, [pkg!.keyPackage])), "add");
    const atBob = ok(await timed(addProcess, () => processMessage(b, add.commit)), "bob processes add");
    ok(await timed(addJoin, () => joinWelcome(add.welcome!, pkg!.secret, { provider })), "newcomer joins");
    a = add.group;
    b = atBob.group;
    await breathe();
    const remove = ok(await timed(removeCommit, () => commitRemove(a, [add.added[0]!.leafIndex])), "remove");
    const atBob2 = ok(await timed(removeProcess, () => processMessage(b, remove.commit)), "bob processes remove");
    a = remove.group;
    b = atBob2.group;
    sizes = { add: add.commit.length, welcome: add.welcome!.length, remove: remove.commit.length, encryptions: pathEncryptions(remove.commit) };
  }
  r.emit(`${prefix}_add_commit_ms`, median(addCommit), "ms");
  r.emit(`${prefix}_add_process_ms`, median(addProcess), "ms");
  r.emit(`${prefix}_add_join_ms`, median(addJoin), "ms");
  r.emit(`${prefix}_remove_commit_ms`, median(removeCommit), "ms");
  r.emit(`${prefix}_remove_process_ms`, median(removeProcess), "ms");
  r.emit(`${prefix}_add_commit_bytes`, sizes.add, "bytes");
  r.emit(`${prefix}_welcome_bytes`, sizes.welcome, "bytes");
  r.emit(`${prefix}_remove_commit_bytes`, sizes.remove, "bytes");
  r.emit(`${prefix}_remove_path_encryptions`, sizes.encryptions, "count");

  const enc: number[] = [];
  const dec: number[] = [];
  const plaintext = crypto.getRandomValues(new Uint8Array(300));
  let messageBytes = 0;
  for (let i = 0; i < messages; i++) {
    const m = ok(await timed(enc, () => encrypt(a, plaintext)), "encrypt");
    a = m.group;
    messageBytes = m.message.length;
    b = ok(await timed(dec, () => processMessage(b, m.message)), "decrypt").group;
  }
  r.emit(`${prefix}_encrypt_300b_ms`, median(enc), "ms");
  r.emit(`${prefix}_decrypt_300b_ms`, median(dec), "ms");
  r.emit(`${prefix}_message_300b_bytes`, messageBytes, "bytes");
  r.emit(`${prefix}_state_bytes`, encodeState(b).length, "bytes");
  r.log(
    `${prefix}: add ${median(addCommit).toFixed(1)} / process ${median(addProcess).toFixed(1)} / join ${median(addJoin).toFixed(0)} ms; ` +
      `remove ${median(removeCommit).toFixed(1)} / process ${median(removeProcess).toFixed(1)} ms (${(sizes.remove / 1000).toFixed(1)} kB); ` +
      `encrypt ${median(enc).toFixed(2)} / decrypt ${median(dec).toFixed(2)} ms`,
  );
}

/**
 * The leaves whose commits give keys to every node a removal's UpdatePath encrypts to, when alice
 * (leaf 0) removes `targets` in turn: one leaf in each subtree beside alice's path (1, 2, 4, …) and
 * beside each target's path — what members' refreshes (LoopEngine.refresh) do over time.
 */
function fillerLeaves(n: number, targets: readonly number[]): number[] {
  const taken = new Set([0, ...targets]);
  const out = new Set<number>();
  const width = 2 ** Math.ceil(Math.log2(n));
  for (const leaf of [0, ...targets]) {
    for (let size = 1; size < width; size *= 2) {
      const start = (Math.floor(leaf / size) ^ 1) * size; // the sibling subtree at this level
      for (let l = start; l < Math.min(start + size, n); l++) {
        if (!taken.has(l)) {
          out.add(l);
          break;
        }
      }
    }
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * Removal in a tree that members have filled: a fresh group, then the devices at fillerLeaves
 * each commit an update in turn (each processed by the devices that came before). Then alice
 * removes the targets, the last leaves; bob processes.
 */
async function filledScenario(r: Reporter, plan: Plan, n: number, rounds: number): Promise<void> {
  const prefix = `${SHORT[plan.suite]}_${plan.provider === "commune" ? "commune" : "tsmls"}_n${n}`;
  const built = await build(r, prefix, plan, n, "to fill");
  const t0 = performance.now();
  const targets = Array.from({ length: rounds }, (_, i) => n - 1 - i);
  const fillers: MlsGroup[] = [built.bob];
  for (const leaf of fillerLeaves(n, targets)) {
    if (leaf !== 1) fillers.push(ok(await joinWelcome(built.welcome, built.joiners[leaf - 1]!.secret, { provider: plan.provider }), `leaf ${leaf} joins`).group);
  }
  let a = built.alice;
  for (let i = 0; i < fillers.length; i++) {
    const u = ok(await commitUpdate(fillers[i]!), `leaf ${fillers[i]!.own.leafIndex} updates`);
    fillers[i] = u.group;
    a = ok(await processMessage(a, u.commit), "alice processes an update").group;
    for (let j = 0; j < fillers.length; j++) {
      if (j !== i) fillers[j] = ok(await processMessage(fillers[j]!, u.commit), "a filler processes an update").group;
    }
    await breathe();
  }
  r.log(`${prefix}: ${fillers.length} devices filled the tree in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let b = fillers[0]!;
  const commitMs: number[] = [];
  const processMs: number[] = [];
  let bytes = 0;
  let encryptions = 0;
  for (const leaf of targets) {
    const remove = ok(await timed(commitMs, () => commitRemove(a, [leaf])), "remove in a filled tree");
    b = ok(await timed(processMs, () => processMessage(b, remove.commit)), "bob processes").group;
    a = remove.group;
    if (!bytes) {
      bytes = remove.commit.length;
      encryptions = pathEncryptions(remove.commit);
    }
  }
  r.emit(`${prefix}_remove_filled_commit_ms`, median(commitMs), "ms");
  r.emit(`${prefix}_remove_filled_process_ms`, median(processMs), "ms");
  r.emit(`${prefix}_remove_filled_commit_bytes`, bytes, "bytes");
  r.emit(`${prefix}_remove_filled_path_encryptions`, encryptions, "count");
  r.log(
    `${prefix}: removal in the filled tree ${median(commitMs).toFixed(1)} ms, processed in ${median(processMs).toFixed(1)} ms, ` +
      `${(bytes / 1000).toFixed(1)} kB, ${encryptions} path encryptions`,
  );
}

export async function mlsBench(r: Reporter, quick: boolean): Promise<void> {
  const plans: Plan[] = quick
    ? [
        { provider: "commune", suite: "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", sizes: [10, 100], filledSizes: [100] },
        { provider: "commune", suite: "MLS_256_XWING_AES256GCM_SHA512_Ed25519", sizes: [10, 100], filledSizes: [] },
      ]
    : [
        { provider: "commune", suite: "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", sizes: [10, 100, 1000, 5000], filledSizes: [100, 1000] },
        { provider: "commune", suite: "MLS_256_XWING_AES256GCM_SHA512_Ed25519", sizes: [10, 100, 1000], filledSizes: [1000] },
        { provider: "ts-mls", suite: "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", sizes: [10, 100, 1000], filledSizes: [] },
        { provider: "ts-mls", suite: "MLS_256_XWING_AES256GCM_SHA512_Ed25519", sizes: [10, 100], filledSizes: [] },
      ];
  for (const plan of plans) {
    for (const n of plan.sizes) {
      const rounds = n >= 1000 ? 2 : 5;
      await scenario(r, plan, n, rounds, quick ? 10 : 30);
      if (plan.filledSizes.includes(n)) await filledScenario(r, plan, n, n >= 1000 ? 2 : 3);
    }
  }
}
