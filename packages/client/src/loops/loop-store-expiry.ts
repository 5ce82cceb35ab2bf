/**
 * Disappearing messages on the device. The server deletes a room's ciphertext and blobs when
 * their timer runs out; the device must delete what it decrypted too — the message it keeps in its
 * history and any attachment it cached. Each message the engine stores with an expiry gets an index
 * entry `exp:<expiresAt>:<message key>`, so finding what is due is a sorted key scan, not a read of
 * the whole history.
 */
import { fileCacheKey } from "./attachments.ts";
import type { LoopMessage } from "./engine.ts";
import type { LoopStore } from "./loop-store.ts";

const MESSAGE = "msg:";
/** Longest wait between two looks (setTimeout cannot wait past ~24 days; the clock may jump). */
const SWEEP_MAX_MS = 6 * 3600_000;
const EXPIRY = "exp:";
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();
const pad = (n: number) => String(n).padStart(16, "0");

export interface ExpiredMessage {
  readonly roomId: string;
  readonly seq: number;
}

/**
 * A LoopStore that indexes the expiry of every message written into it. The engine wraps the store
 * it is given in one, so disappearing messages can be found on every kind of store.
 */
export class ExpiringLoopStore implements LoopStore {
  readonly inner: LoopStore;

  constructor(inner: LoopStore) {
    this.inner = inner;
  }

  /** `store` itself when it already indexes expiry, else a wrapper around it. */
  static wrap(store: LoopStore): ExpiringLoopStore {
    return store instanceof ExpiringLoopStore ? store : new ExpiringLoopStore(store);
  }

  get(key: string): Promise<Uint8Array | null> {
    return this.inner.get(key);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  keys(prefix: string): Promise<string[]> {
    return this.inner.keys(prefix);
  }
  async set(key: string, value: Uint8Array): Promise<void> {
    await this.inner.set(key, value);
    if (!key.startsWith(MESSAGE)) return;
    const expiresAt = expiryOf(value);
    if (expiresAt !== null) await this.inner.set(`${EXPIRY}${pad(expiresAt)}:${key}`, EMPTY);
  }
}

function expiryOf(value: Uint8Array): number | null {
  try {
    const { expiresAt } = JSON.parse(decoder.decode(value)) as Partial<LoopMessage>;
    return typeof expiresAt === "number" && Number.isFinite(expiresAt) ? expiresAt : null;
  } catch {
    return null;
  }
}

function parseIndexKey(key: string): { expiresAt: number; messageKey: string } | null {
  const match = /^exp:(\d{16}):(msg:.+)$/.exec(key);
  return match ? { expiresAt: Number(match[1]), messageKey: match[2]! } : null;
}

/**
 * Deletes from the store every message whose timer ran out by `now`, with the attachment it
 * cached; returns which ones (for the screen to drop them). Safe to call often: when nothing is
 * due it reads one key list.
 */
export async function deleteExpired(store: LoopStore, now: number = Date.now()): Promise<ExpiredMessage[]> {
  const out: ExpiredMessage[] = [];
  for (const key of (await store.keys(EXPIRY)).sort()) {
    const entry = parseIndexKey(key);
    if (entry && entry.expiresAt > now) break;
    if (entry) {
      const value = await store.get(entry.messageKey);
      if (value) {
        try {
          const message = JSON.parse(decoder.decode(value)) as LoopMessage;
          if (message.content.type === "file") await store.delete(fileCacheKey(message.roomId, message.content.attachment));
          out.push({ roomId: message.roomId, seq: message.seq });
        } catch {
          // unreadable: deleted all the same
        }
        await store.delete(entry.messageKey);
      }
    }
    await store.delete(key);
  }
  return out;
}

/** When the next stored message disappears (ms since the epoch), or null when none will. */
export async function nextExpiry(store: LoopStore): Promise<number | null> {
  for (const key of (await store.keys(EXPIRY)).sort()) {
    const entry = parseIndexKey(key);
    if (entry) return entry.expiresAt;
  }
  return null;
}

/**
 * Deletes messages when their timer runs out, for as long as it runs: a timer is set for the next
 * expiry in the store; `poke` after storing messages that may expire. Sweeps run one at a time.
 */
export function expirySweeper(store: LoopStore, onExpired: (gone: ExpiredMessage[]) => void, onError: (error: unknown) => void = () => {}): { poke(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const sweep = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const gone = await deleteExpired(store);
    if (gone.length > 0) onExpired(gone);
    const next = await nextExpiry(store);
    if (next !== null && !stopped) timer = setTimeout(poke, Math.min(SWEEP_MAX_MS, Math.max(0, next - Date.now()) + 50));
  };
  function poke(): void {
    chain = chain.then(sweep).catch(onError);
  }
  poke();
  return {
    poke,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
