/**
 * What this device remembers about the people it talks to: the keys it saw last for each of them,
 * the keys its user verified (by comparing safety numbers), and a key change not yet acknowledged.
 * It stays on the device — a verification is a statement of this device's user, so nothing of it
 * goes to the server. Memory for tests; a LoopStore (IndexedDB in the browser) or a file for the
 * headless client (`FileVerificationStore` from `@commune/client/node`).
 */
import type { LoopStore } from "../loops/loop-store.ts";

/** A change of someone's keys that the user has not acknowledged yet. */
export interface KeyChange {
  readonly accountId: string;
  /** Keys (base64url) that appeared and disappeared since the previous look. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** When this device noticed it (ms). */
  readonly at: number;
  /** The person had been verified with the keys from before the change. */
  readonly wasVerified: boolean;
}

export interface ContactRecord {
  readonly accountId: string;
  /** The keys this device saw last (sorted base64url). */
  readonly keys: readonly string[];
  readonly seenAt: number;
  /** The exact keys the user verified; null when never verified. */
  readonly verifiedKeys: readonly string[] | null;
  readonly verifiedAt: number | null;
  /** Shown as a warning until acknowledged. */
  readonly change: KeyChange | null;
}

export interface VerificationStore {
  load(accountId: string): Promise<ContactRecord | null>;
  save(record: ContactRecord): Promise<void>;
  all(): Promise<ContactRecord[]>;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
const time = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function isChange(v: unknown): v is KeyChange {
  if (!v || typeof v !== "object") return false;
  const c = v as Record<string, unknown>;
  return typeof c.accountId === "string" && strings(c.added) && strings(c.removed) && time(c.at) && typeof c.wasVerified === "boolean";
}

/** A record read back from storage, or null when it is not one (damaged storage reads as "never seen"). */
export function parseContactRecord(value: unknown): ContactRecord | null {
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, unknown>;
  if (typeof r.accountId !== "string" || !strings(r.keys) || !time(r.seenAt)) return null;
  if (r.verifiedKeys !== null && !strings(r.verifiedKeys)) return null;
  if (r.verifiedAt !== null && !time(r.verifiedAt)) return null;
  if (r.change !== null && !isChange(r.change)) return null;
  return {
    accountId: r.accountId,
    keys: r.keys,
    seenAt: r.seenAt,
    verifiedKeys: r.verifiedKeys,
    verifiedAt: r.verifiedAt,
    change: r.change,
  };
}

export class MemoryVerificationStore implements VerificationStore {
  #records = new Map<string, ContactRecord>();
  async load(accountId: string): Promise<ContactRecord | null> {
    return this.#records.get(accountId) ?? null;
  }
  async save(record: ContactRecord): Promise<void> {
    this.#records.set(record.accountId, record);
  }
  async all(): Promise<ContactRecord[]> {
    return [...this.#records.values()];
  }
}

const PREFIX = "contact:";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Records kept in a device's LoopStore next to its MLS state (in the browser: IndexedDB, scoped
 * to the account and device), under `contact:<accountId>`.
 */
export class LoopStoreVerificationStore implements VerificationStore {
  readonly #store: LoopStore;
  constructor(store: LoopStore) {
    this.#store = store;
  }
  async load(accountId: string): Promise<ContactRecord | null> {
    const bytes = await this.#store.get(PREFIX + accountId);
    return bytes ? decode(bytes) : null;
  }
  async save(record: ContactRecord): Promise<void> {
    await this.#store.set(PREFIX + record.accountId, encoder.encode(JSON.stringify(record)));
  }
  async all(): Promise<ContactRecord[]> {
    const out: ContactRecord[] = [];
    for (const key of await this.#store.keys(PREFIX)) {
      const bytes = await this.#store.get(key);
      const record = bytes ? decode(bytes) : null;
      if (record) out.push(record);
    }
    return out;
  }
}

function decode(bytes: Uint8Array): ContactRecord | null {
  try {
    return parseContactRecord(JSON.parse(decoder.decode(bytes)));
  } catch {
    return null;
  }
}
