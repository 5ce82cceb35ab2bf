/**
 * Keeps this browser's view of people's keys current: a ContactVerifier over the device's
 * IndexedDB, run again whenever a loop's MLS group may have changed (a Welcome, new messages, a
 * membership change, or a group's epoch moving on — commits arrive without any message, so the
 * epochs of the joined loops are also looked at every few seconds while a page shows marks).
 * One per LoopSession; pages read the contacts through useContacts. In a browser tab that does
 * not run the loops itself, the engine is a read-only view that is read again when the leading
 * tab reports an event, so a change that comes with no event shows there at the next one.
 */
import { ContactVerifier, LoopStoreVerificationStore, type Contact, type LoopEngine, type MarkOutcome, type SafetyComparison, type VerificationStore } from "@commune/client";
import { IndexedDbLoopStore } from "@commune/client/browser";
import { useSyncExternalStore } from "react";
import type { LoopSession } from "./loop-session.tsx";

/** How often the epochs of joined loops are looked at (memory reads only, no request). */
const EPOCH_POLL_MS = 2000;
const EMPTY: ReadonlyMap<string, Contact> = new Map();

export class SafetyWatch {
  readonly loops: LoopSession;
  readonly #store: VerificationStore;
  #verifiers = new WeakMap<LoopEngine, ContactVerifier>();
  #contacts: ReadonlyMap<string, Contact> = EMPTY;
  #listeners = new Set<() => void>();
  #epochs = new Map<string, string>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #unsubscribe: (() => void) | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #pending: Promise<void> | null = null;
  #again = false;

  constructor(loops: LoopSession) {
    this.loops = loops;
    this.#store = new LoopStoreVerificationStore(new IndexedDbLoopStore(loops.accountId, loops.deviceId));
  }

  get contacts(): ReadonlyMap<string, Contact> {
    return this.#contacts;
  }

  /** For useSyncExternalStore; watching runs while someone listens. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  };

  #start(): void {
    this.#unsubscribe = this.loops.subscribe((event) => {
      if (event.type === "messages" || event.type === "joined" || event.type === "room") void this.refresh();
    });
    this.#timer = setInterval(() => void this.#pollEpochs(), EPOCH_POLL_MS);
    void this.refresh();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * The verifier over the session's engine as it is now: the tab that runs the loops gets the
   * engine that does the work; another tab a read-only view of the same state.
   */
  async #verifier(): Promise<{ engine: LoopEngine; verifier: ContactVerifier }> {
    const engine = await this.loops.engine();
    let verifier = this.#verifiers.get(engine);
    if (!verifier) this.#verifiers.set(engine, (verifier = new ContactVerifier(engine, this.#store)));
    return { engine, verifier };
  }

  /** Reads and writes of the records, one at a time. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #joinedRooms(engine: LoopEngine): Promise<string[]> {
    const rooms = this.loops.rooms ?? (await this.loops.refreshRooms()) ?? [];
    const out: string[] = [];
    for (const room of rooms) if (await engine.joined(room.id)) out.push(room.id);
    return out;
  }

  async #pollEpochs(): Promise<void> {
    try {
      const { engine } = await this.#verifier();
      let moved = false;
      for (const id of await this.#joinedRooms(engine)) {
        const epoch = String(await engine.epoch(id));
        if (this.#epochs.get(id) !== epoch) moved = true;
        this.#epochs.set(id, epoch);
      }
      if (moved) await this.refresh();
    } catch (error) {
      console.warn("could not look at the loops' epochs", error);
    }
  }

  /** Compares everyone's keys with what this device saw last, then tells the pages. Never throws. */
  refresh(): Promise<void> {
    if (this.#pending) {
      // one more pass after the running one, however many were asked for meanwhile
      this.#again = true;
      return this.#pending;
    }
    this.#pending = (async () => {
      do {
        this.#again = false;
        try {
          await this.#serial(async () => {
            const { engine, verifier } = await this.#verifier();
            await verifier.check(await this.#joinedRooms(engine));
            await this.#reload(verifier);
          });
        } catch (error) {
          console.warn("could not check safety numbers", error);
        }
      } while (this.#again);
    })().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #reload(verifier: ContactVerifier): Promise<void> {
    this.#contacts = new Map((await verifier.contacts()).map((c) => [c.accountId, c]));
    for (const listener of this.#listeners) listener();
  }

  /** The safety number with a person over the loops this device is in; null when none is shared. */
  async compare(accountId: string): Promise<SafetyComparison | null> {
    await this.refresh();
    const { engine, verifier } = await this.#verifier();
    return verifier.compare(accountId, await this.#joinedRooms(engine));
  }

  markVerified(comparison: SafetyComparison): Promise<MarkOutcome> {
    return this.#change((verifier) => verifier.markVerified(comparison));
  }

  unverify(accountId: string): Promise<void> {
    return this.#change(async (verifier) => void (await verifier.unverify(accountId)));
  }

  acknowledge(accountId: string): Promise<void> {
    return this.#change(async (verifier) => void (await verifier.acknowledge(accountId)));
  }

  #change<T>(task: (verifier: ContactVerifier) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      const { verifier } = await this.#verifier();
      const result = await task(verifier);
      await this.#reload(verifier);
      return result;
    });
  }
}

const watches = new WeakMap<LoopSession, SafetyWatch>();

/** The watch of this loop session (made on first use). */
export function safetyWatch(loops: LoopSession): SafetyWatch {
  let watch = watches.get(loops);
  if (!watch) watches.set(loops, (watch = new SafetyWatch(loops)));
  return watch;
}

const noSubscribe = () => () => {};

/** What this device knows of everyone's keys, kept current while the component is mounted. */
export function useContacts(loops: LoopSession | null): ReadonlyMap<string, Contact> {
  const watch = loops ? safetyWatch(loops) : null;
  return useSyncExternalStore(watch?.subscribe ?? noSubscribe, () => watch?.contacts ?? EMPTY);
}

