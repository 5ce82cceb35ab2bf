/**
 * Saving a group to bytes (IndexedDB in the browser, a file for the headless client) and back.
 * The format: "CMLS", a format version, the suite, then ts-mls's own encoding of the group state
 * (tree, key schedule, secret tree, this device's private keys, retained past epochs).
 *
 * These bytes hold the group's secrets and this device's private keys: store them encrypted (the
 * client's storage key), and replace them after every processed message (a restored older state
 * could decrypt messages again; for sending, MLS's reuse guard keeps a reused key from reusing a nonce).
 */
import { decodeGroupState, encodeGroupState, type ClientState, type GroupState } from "ts-mls";
import { ByteReader, ByteWriter } from "./codec.ts";
import { attempt, MlsOperationError, type MlsResult } from "./errors.ts";
import { makeContext, unwrap, wrap, type MlsGroup, type MlsOptions } from "./group-state.ts";
import {
  decodeBigintMap,
  decodeGroupActiveState,
  decodeGroupContext,
  decodeKeySchedule,
  decodePrivateKeyPath,
  decodeRatchetTree,
  decodeSecretTreeNode,
  decodeUnappliedProposals,
  decodeVarLenData,
  decodeVarLenType,
  mapDecoder,
  mapDecoders,
  type Decoder,
} from "./internals.ts";
import { SUITES, suiteImpl } from "./suite.ts";

const MAGIC = Uint8Array.from([0x43, 0x4d, 0x4c, 0x53]); // "CMLS"
/**
 * 2: the secret tree is lazy (patches/ts-mls+1.6.4.patch): pending tree secrets and derived
 *    leaves. 1: the whole secret tree, one node per tree node (read, never written).
 */
const FORMAT = 2;

type SecretTree = GroupState["secretTree"];
type Receiver = GroupState["historicalReceiverData"] extends Map<bigint, infer R> ? R : never;

/**
 * Format 1 held every node of the secret tree, derived. Only the leaves' ratchets are ever used,
 * so they become the derived leaves of a lazy tree with nothing pending. The field order is
 * ts-mls's decodeGroupState's.
 */
const decodeSecretTreeFormat1: Decoder<SecretTree> = mapDecoder(decodeVarLenType(decodeSecretTreeNode), (nodes) => {
  if (nodes.length % 2 === 0) throw new RangeError("a secret tree has an odd number of nodes");
  const leaves: SecretTree["leaves"] = {};
  for (let index = 0; index < nodes.length; index += 2) leaves[index] = nodes[index]!;
  return { leafWidth: (nodes.length + 1) / 2, pending: {}, leaves };
});
const decodeReceiverFormat1: Decoder<Receiver> = mapDecoders(
  [decodeVarLenData, decodeSecretTreeFormat1, decodeRatchetTree, decodeVarLenData, decodeGroupContext],
  (resumptionPsk, secretTree, ratchetTree, senderDataSecret, groupContext) => ({ resumptionPsk, secretTree, ratchetTree, senderDataSecret, groupContext }),
);
const decodeGroupStateFormat1: Decoder<GroupState> = mapDecoders(
  [
    decodeGroupContext,
    decodeKeySchedule,
    decodeSecretTreeFormat1,
    decodeRatchetTree,
    decodePrivateKeyPath,
    decodeVarLenData,
    decodeUnappliedProposals,
    decodeVarLenData,
    decodeBigintMap(decodeReceiverFormat1),
    decodeGroupActiveState,
  ],
  (groupContext, keySchedule, secretTree, ratchetTree, privatePath, signaturePrivateKey, unappliedProposals, confirmationTag, historicalReceiverData, groupActiveState) => ({
    groupContext,
    keySchedule,
    secretTree,
    ratchetTree,
    privatePath,
    signaturePrivateKey,
    unappliedProposals,
    confirmationTag,
    historicalReceiverData,
    groupActiveState,
  }),
);

export function encodeState(group: MlsGroup): Uint8Array {
  const { state, ctx } = unwrap(group);
  const w = new ByteWriter().raw(MAGIC).u8(FORMAT).u8(SUITES.indexOf(ctx.suite)).u8(group.active ? 1 : 0);
  w.bytes(group.own.identity.accountId ? new TextEncoder().encode(`${group.own.identity.accountId}:${group.own.identity.deviceId}`) : new Uint8Array());
  w.bytes(group.own.signaturePublicKey);
  return w.raw(encodeGroupState(state)).finish();
}

/** The group saved by encodeState. Options are not saved: pass the same ones (policy hooks, provider). */
export function decodeState(bytes: Uint8Array, options: MlsOptions = {}): Promise<MlsResult<{ readonly group: MlsGroup }>> {
  return attempt(async () => {
    let format: number, suiteIndex: number, active: boolean, ownIdentity: Uint8Array, ownKey: Uint8Array, rest: Uint8Array;
    try {
      const r = new ByteReader(bytes);
      for (const b of MAGIC) if (r.u8() !== b) throw new RangeError("not a saved MLS group");
      format = r.u8();
      if (format !== FORMAT && format !== 1) throw new RangeError("unknown format version");
      suiteIndex = r.u8();
      active = r.u8() === 1;
      ownIdentity = r.bytes();
      ownKey = r.bytes();
      rest = r.rest();
    } catch (e) {
      throw new MlsOperationError("malformed", `saved group: ${e instanceof Error ? e.message : "unreadable"}`);
    }
    const suite = SUITES[suiteIndex];
    if (!suite) throw new MlsOperationError("unsupported", `saved group has unknown suite index ${suiteIndex}`);
    let decoded: ReturnType<typeof decodeGroupState>;
    try {
      decoded = format === 1 ? decodeGroupStateFormat1(rest, 0) : decodeGroupState(rest, 0);
    } catch {
      decoded = undefined;
    }
    if (!decoded || decoded[1] !== rest.length) throw new MlsOperationError("malformed", "saved group state does not decode");
    const impl = await suiteImpl(suite, options.provider);
    const ctx = makeContext(suite, impl, options);
    const state: ClientState = { ...decoded[0], clientConfig: ctx.clientConfig };
    if ((state.groupActiveState.kind === "active") !== active) throw new MlsOperationError("malformed", "saved group is inconsistent");
    const text = new TextDecoder().decode(ownIdentity);
    const [accountId = "", deviceId = ""] = text.split(":");
    return { group: wrap(state, ctx, { leafIndex: state.privatePath.leafIndex, identity: { accountId, deviceId }, signaturePublicKey: ownKey }) };
  });
}
