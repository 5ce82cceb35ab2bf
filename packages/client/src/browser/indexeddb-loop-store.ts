import type { LoopStore } from "../loops/loop-store.ts";

const DB_NAME = "commune-loops";
const STORE = "entries";

let opening: Promise<IDBDatabase> | null = null;

/** One connection for the page, opened on first use; closed if another tab upgrades the database. */
function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      db.onclose = () => {
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
    req.onblocked = () => {
      opening = null;
      reject(new Error("the loops database is blocked by another tab"));
    };
  });
  return opening;
}

function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return database().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = op(tx.objectStore(STORE));
        // resolve once the transaction is durable, not when the request alone succeeded
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
      }),
  );
}

/**
 * The MLS side of loops in the browser: signature keys, KeyPackage secrets, group states and the
 * messages this device has read, in IndexedDB ("commune-loops"). Keys are prefixed with a scope
 * (the account id, and the device id when given), so two accounts — or a re-registered device — in
 * one browser profile never read each other's state. Everything here is secret and stays on the
 * device; the page's own script can read it, as it reads what is on screen.
 */
export class IndexedDbLoopStore implements LoopStore {
  readonly #prefix: string;

  constructor(accountId: string, deviceId?: string) {
    if (!accountId) throw new Error("IndexedDbLoopStore needs an account id");
    this.#prefix = deviceId ? `${accountId}/${deviceId}/` : `${accountId}/`;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const value = await run<unknown>("readonly", (s) => s.get(this.#prefix + key));
    return value instanceof Uint8Array ? value : null;
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    // a copy of exactly these bytes: a view into a larger buffer would store the whole buffer
    await run("readwrite", (s) => s.put(value.slice(), this.#prefix + key));
  }

  async delete(key: string): Promise<void> {
    await run("readwrite", (s) => s.delete(this.#prefix + key));
  }

  async keys(prefix: string): Promise<string[]> {
    const from = this.#prefix + prefix;
    const range = IDBKeyRange.bound(from, `${from}\uffff`, false, false);
    const keys = await run<IDBValidKey[]>("readonly", (s) => s.getAllKeys(range));
    return keys.filter((k): k is string => typeof k === "string" && k.startsWith(from)).map((k) => k.slice(this.#prefix.length));
  }
}
