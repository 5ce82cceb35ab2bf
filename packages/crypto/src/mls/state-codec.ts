/**
 * Saving a group to bytes (IndexedDB in the browser, a file for the headless client) and back.
 * The format: "CMLS", a format version, the suite, then ts-mls's own encoding of the group state
 * (tree, key schedule, secret tree, this device's private keys, retained past epochs).
 *
 * These bytes hold the group's secrets and this device's private keys: store them encrypted (the
 * client's storage key), and replace them after every processed message (a restored older state
 * could decrypt messages again; for sending, MLS's reuse guard keeps a reused key from reusing a nonce).
 */
import { decodeGroupState, encodeGroupState, type ClientState } from "ts-mls";
import { ByteReader, ByteWriter } from "./codec.ts";
import { attempt, MlsOperationError, type MlsResult } from "./errors.ts";
import { makeContext, unwrap, wrap, type MlsGroup, type MlsOptions } from "./group-state.ts";
import { SUITES, suiteImpl } from "./suite.ts";

const MAGIC = Uint8Array.from([0x43, 0x4d, 0x4c, 0x53]); // "CMLS"
const FORMAT = 1;

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
