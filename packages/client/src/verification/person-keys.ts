/**
 * A person's keys as this device sees them: the MLS signature keys of every leaf their account
 * has in the loops this device is in. Keys are kept as sorted base64url strings, so two sets
 * compare as lists and can be stored as JSON.
 */
import { toBase64Url } from "@commune/crypto";

/** One leaf of one room's MLS group (LoopEngine.memberKeys). */
export interface LeafKey {
  readonly accountId: string;
  readonly deviceId: string;
  readonly signatureKey: Uint8Array;
}

export interface PersonKeys {
  readonly accountId: string;
  /** Base64url signature keys, sorted, without duplicates. */
  readonly keys: readonly string[];
  /** The device ids those leaves name, sorted. */
  readonly devices: readonly string[];
  /** The rooms they were found in. */
  readonly rooms: readonly string[];
}

/** Groups the leaves of several rooms by account: the union of each person's keys. */
export function collectKeys(rooms: ReadonlyArray<{ readonly roomId: string; readonly leaves: readonly LeafKey[] }>): Map<string, PersonKeys> {
  const acc = new Map<string, { keys: Set<string>; devices: Set<string>; rooms: Set<string> }>();
  for (const { roomId, leaves } of rooms) {
    for (const leaf of leaves) {
      let entry = acc.get(leaf.accountId);
      if (!entry) acc.set(leaf.accountId, (entry = { keys: new Set(), devices: new Set(), rooms: new Set() }));
      entry.keys.add(toBase64Url(leaf.signatureKey));
      entry.devices.add(leaf.deviceId);
      entry.rooms.add(roomId);
    }
  }
  const out = new Map<string, PersonKeys>();
  for (const [accountId, e] of acc) out.set(accountId, { accountId, keys: [...e.keys].sort(), devices: [...e.devices].sort(), rooms: [...e.rooms].sort() });
  return out;
}

export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** What was added to and removed from `before` to make `after`. */
export function diffKeys(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const was = new Set(before);
  const now = new Set(after);
  return { added: after.filter((k) => !was.has(k)), removed: before.filter((k) => !now.has(k)) };
}
