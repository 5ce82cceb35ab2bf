/**
 * The loop engine's side of the room's rules (policy.ts): it fetches the member list along the log
 * for the commits a device is about to process, hands the MLS layer a policy hook for each one,
 * and remembers a refused commit, after which the room stops on this device: nothing later is
 * processed, nothing is sent, and the interface says why.
 */
import type { MlsFailure, MlsGroup, ProcessOptions } from "@commune/crypto/mls";
import type { RoomEvent, RoomMembership } from "@commune/protocol";
import type { CommuneClient } from "../client.ts";
import type { LoopStore } from "./loop-store.ts";
import { checkCommit, checkJoinedGroup, type PolicyBreach, type PolicyRule, type RoomRules } from "./policy.ts";

/** A commit (or Welcome) this device refused because it breaks the room's rules. */
export interface LoopViolation {
  readonly roomId: string;
  /** The refused event's place in the log (0 for a refused Welcome). */
  readonly seq: number;
  /** The epoch the refused commit was built on: this device stays there. */
  readonly epoch: number;
  /** The device the server says sent it. */
  readonly senderDeviceId: string;
  readonly rule: PolicyRule;
  readonly accountId?: string;
  readonly deviceId?: string;
  readonly detectedAt: number;
}

interface Snapshot {
  readonly membership: RoomMembership;
  readonly devices: ReadonlyMap<string, ReadonlySet<string>>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const key = (roomId: string) => `violation:${roomId}`;

/** The accounts in the room just before event `seq`, or null when the history does not reach back that far. */
export function membersBefore(membership: RoomMembership, seq: number): Set<string> | null {
  if (seq - 1 < membership.base) return null;
  const out = new Set(membership.members);
  for (const c of membership.changes) {
    if (c.seq >= seq) break;
    if (c.added) out.add(c.accountId);
    else out.delete(c.accountId);
  }
  return out;
}

export class LoopPolicy {
  readonly #client: CommuneClient;
  readonly #store: LoopStore;
  #snapshots = new Map<string, Snapshot>();
  #violations = new Map<string, LoopViolation | null>();
  /** What the last hook call refused, per room, to record once processMessage reports it. */
  #breaches = new Map<string, PolicyBreach>();
  #listeners = new Set<(violation: LoopViolation) => void>();

  constructor(client: CommuneClient, store: LoopStore) {
    this.#client = client;
    this.#store = store;
  }

  /** Calls `listener` whenever a room is stopped on this device. Returns the way to stop listening. */
  subscribe(listener: (violation: LoopViolation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Drops what this object keeps in memory, so it is read again from the store (see LoopEngine.forget). */
  forget(): void {
    this.#violations.clear();
    this.#snapshots.clear();
  }

  /** The commit this device refused in a room, if any: the room is stopped on this device. */
  async violation(roomId: string): Promise<LoopViolation | null> {
    if (!this.#violations.has(roomId)) {
      const saved = await this.#store.get(key(roomId));
      this.#violations.set(roomId, saved ? (JSON.parse(decoder.decode(saved)) as LoopViolation) : null);
    }
    return this.#violations.get(roomId) ?? null;
  }

  async #snapshot(roomId: string, seq: number): Promise<Snapshot> {
    const cached = this.#snapshots.get(roomId);
    // complete for every event up to the room's last event when it was read
    if (cached && seq <= cached.membership.lastSeq && seq - 1 >= cached.membership.base) return cached;
    const [membership, detail] = await Promise.all([this.#client.roomMembership(roomId, Math.max(0, seq - 1)), this.#client.room(roomId)]);
    const devices = new Map(detail.members.map((m) => [m.accountId, new Set(m.devices.map((d) => d.id))] as const));
    const snapshot = { membership, devices };
    this.#snapshots.set(roomId, snapshot);
    return snapshot;
  }

  /** processMessage options for one event of the log: a policy hook for commits. */
  async options(event: RoomEvent): Promise<ProcessOptions> {
    if (event.kind !== "commit") return {};
    const { membership, devices } = await this.#snapshot(event.roomId, event.seq);
    const before = membersBefore(membership, event.seq);
    // a commit from before the history this account may see (before it entered): nothing to check
    if (!before) return {};
    const rules: RoomRules = { kind: membership.kind, members: before, devices };
    return {
      policy: (change) => {
        if (change.kind !== "commit") return true;
        const found = checkCommit(change, rules);
        if (found) this.#breaches.set(event.roomId, found);
        return found === null;
      },
    };
  }

  /**
   * After processMessage failed on an event: when the room's rules refused it, records the
   * violation (the room stops here) and returns true.
   */
  async refused(event: RoomEvent, error: MlsFailure): Promise<boolean> {
    const found = this.#breaches.get(event.roomId);
    this.#breaches.delete(event.roomId);
    if (error.code !== "policy_rejected" || !found) return false;
    await this.#record({ roomId: event.roomId, seq: event.seq, epoch: event.epoch, senderDeviceId: event.senderDeviceId, ...found, detectedAt: Date.now() });
    return true;
  }

  /**
   * Checks the group a Welcome brought this device into. Returns false (and records the violation)
   * when it holds a device of an account that has not been in the room since this account entered;
   * also false, recording nothing, when this account is no longer in the room (the Welcome came
   * too late to be of use).
   */
  async acceptsJoin(roomId: string, group: MlsGroup, senderDeviceId = ""): Promise<boolean> {
    let membership: RoomMembership;
    try {
      membership = await this.#client.roomMembership(roomId, 0);
    } catch (error) {
      if ((error as { code?: string }).code === "not_found") return false;
      throw error;
    }
    const allowed = new Set(membership.members);
    for (const c of membership.changes) allowed.add(c.accountId);
    const found = checkJoinedGroup(group, membership.kind, allowed);
    if (!found) return true;
    await this.#record({ roomId, seq: 0, epoch: Number(group.epoch), senderDeviceId, ...found, detectedAt: Date.now() });
    return false;
  }

  async #record(violation: LoopViolation): Promise<void> {
    this.#violations.set(violation.roomId, violation);
    await this.#store.set(key(violation.roomId), encoder.encode(JSON.stringify(violation)));
    for (const listener of this.#listeners) listener(violation);
  }
}
