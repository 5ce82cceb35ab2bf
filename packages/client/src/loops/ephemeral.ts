/**
 * Ephemeral loop messages: typing signals. Each is an MLS application message like any other — the
 * server relays it without reading or storing it — so it uses one step of the sender's ratchet.
 * A device that misses such messages (offline, or not showing typing) later skips over those steps,
 * and MLS lets a receiver skip at most so many (ts-mls: 200) between two messages it does read. So a
 * device sends at most EPHEMERAL_BUDGET of them in a room between two of its stored messages (or
 * since the epoch began), counted in its store so a reload does not reset the count.
 */
import type { LoopStore } from "./loop-store.ts";

/** What an ephemeral message may carry. Anything else arriving on the ephemeral path is dropped. */
export type EphemeralContent = { readonly type: "typing" };

/** A typing signal as a receiver sees it, its sender authenticated by MLS (not taken from the server). */
export interface EphemeralSignal {
  readonly roomId: string;
  readonly senderAccountId: string;
  readonly senderDeviceId: string;
  readonly content: EphemeralContent;
}

/** Half of what a receiver may skip, leaving room for messages that arrive out of order. */
export const EPHEMERAL_BUDGET = 100;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const budgetKey = (roomId: string) => `eph:${roomId}`;

export function isEphemeralContent(value: unknown): value is EphemeralContent {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "typing" && Object.keys(value).length === 1;
}

/** Takes one ephemeral message from the room's budget at this epoch; false when it is spent. */
export async function takeEphemeralBudget(store: LoopStore, roomId: string, epoch: bigint): Promise<boolean> {
  const saved = await store.get(budgetKey(roomId));
  let used = 0;
  if (saved) {
    const { epoch: at, count } = JSON.parse(decoder.decode(saved)) as { epoch: string; count: number };
    if (at === String(epoch)) used = count;
  }
  if (used >= EPHEMERAL_BUDGET) return false;
  await store.set(budgetKey(roomId), encoder.encode(JSON.stringify({ epoch: String(epoch), count: used + 1 })));
  return true;
}

/** A stored message went out: receivers that read it are in step again. */
export async function resetEphemeralBudget(store: LoopStore, roomId: string): Promise<void> {
  await store.delete(budgetKey(roomId));
}
