/**
 * Saving a group to bytes (IndexedDB in the browser, a file for the headless client) and back.
 * The format: "CMLS", a format version, the suite, then ts-mls's own encoding of the group state
 * (tree, key schedule, secret tree, this device's private keys, retained past epochs).
 *
 * These bytes hold the group's secrets and this device's private keys: store them encrypted (the
 * client's storage key), and replace them after every processed message (a restored older state
 * could decrypt messages again; for sending, MLS's reuse guard keeps a reused key from reusing a nonce).
 */
import { decodeGroupState, type ClientState, type GroupState } from "ts-mls";
import { ByteReader, ByteWriter } from "./codec.ts";
import { attempt, MlsOperationError, type MlsResult } from "./errors.ts";
import { makeContext, unwrap, wrap, type MlsGroup, type MlsOptions } from "./group-state.ts";
import {
  contramapBufferEncoders,
  encode,
  groupActiveStateEncoder,
  groupContextEncoder,
  keyScheduleEncoder,
  lengthEncoder,
  nodeEncoder,
  optionalEncoder,
  privateKeyPathEncoder,
  secretTreeNodeEncoder,
  stripBlankNodes,
  uint64Encoder,
  unappliedProposalsEncoder,
  varLenDataEncoder,
  type BufferEncoder,
} from "./internals.ts";
import { SUITES, suiteImpl } from "./suite.ts";

/**
 * ts-mls 1.6.4's vector encoder chains one closure per element and calls them recursively when
 * writing: a vector of ~10,000 elements overflows the stack. The secret tree of a group of more
 * than 4,096 members has 16,383 nodes, so encodeGroupState fails there. This encoder writes the
 * same bytes (checked against ts-mls's in the tests) with a loop; decoding is ts-mls's own.
 */
function flatVector<T>(element: BufferEncoder<T>): BufferEncoder<readonly T[]> {
  return (items) => {
    const parts = items.map(element);
    const total = parts.reduce((n, [len]) => n + len, 0);
    const [headerLength, writeLength] = lengthEncoder(total);
    return [
      headerLength + total,
      (offset, buffer) => {
        writeLength(offset, buffer);
        let at = offset + headerLength;
        for (const [len, write] of parts) {
          write(at, buffer);
          at += len;
        }
      },
    ];
  };
}

const secretTreeFlat = flatVector(secretTreeNodeEncoder);
const ratchetTreeFlat: BufferEncoder<GroupState["ratchetTree"]> = (tree) => flatVector(optionalEncoder(nodeEncoder))(stripBlankNodes(tree));
type Receiver = GroupState["historicalReceiverData"] extends Map<bigint, infer R> ? R : never;
const receiverDataFlat = contramapBufferEncoders(
  [varLenDataEncoder, secretTreeFlat, ratchetTreeFlat, varLenDataEncoder, groupContextEncoder],
  (r: Receiver) => [r.resumptionPsk, r.secretTree, r.ratchetTree, r.senderDataSecret, r.groupContext] as const,
);
const receiverMapFlat: BufferEncoder<GroupState["historicalReceiverData"]> = (map) =>
  flatVector(contramapBufferEncoders([uint64Encoder, receiverDataFlat], ([k, v]: [bigint, Receiver]) => [k, v] as const))([...map.entries()]);

/** Byte for byte ts-mls's encodeGroupState (same field order), without the recursion. */
export const encodeGroupStateFlat = encode(
  contramapBufferEncoders(
    [groupContextEncoder, keyScheduleEncoder, secretTreeFlat, ratchetTreeFlat, privateKeyPathEncoder, varLenDataEncoder, unappliedProposalsEncoder, varLenDataEncoder, receiverMapFlat, groupActiveStateEncoder],
    (s: GroupState) =>
      [s.groupContext, s.keySchedule, s.secretTree, s.ratchetTree, s.privatePath, s.signaturePrivateKey, s.unappliedProposals, s.confirmationTag, s.historicalReceiverData, s.groupActiveState] as const,
  ),
);

const MAGIC = Uint8Array.from([0x43, 0x4d, 0x4c, 0x53]); // "CMLS"
const FORMAT = 1;

export function encodeState(group: MlsGroup): Uint8Array {
  const { state, ctx } = unwrap(group);
  const w = new ByteWriter().raw(MAGIC).u8(FORMAT).u8(SUITES.indexOf(ctx.suite)).u8(group.active ? 1 : 0);
  w.bytes(group.own.identity.accountId ? new TextEncoder().encode(`${group.own.identity.accountId}:${group.own.identity.deviceId}`) : new Uint8Array());
  w.bytes(group.own.signaturePublicKey);
  return w.raw(encodeGroupStateFlat(state)).finish();
}

/** The group saved by encodeState. Options are not saved: pass the same ones (policy hooks, provider). */
export function decodeState(bytes: Uint8Array, options: MlsOptions = {}): Promise<MlsResult<{ readonly group: MlsGroup }>> {
  return attempt(async () => {
    let suiteIndex: number, active: boolean, ownIdentity: Uint8Array, ownKey: Uint8Array, rest: Uint8Array;
    try {
      const r = new ByteReader(bytes);
      for (const b of MAGIC) if (r.u8() !== b) throw new RangeError("not a saved MLS group");
      if (r.u8() !== FORMAT) throw new RangeError("unknown format version");
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
      decoded = decodeGroupState(rest, 0);
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
