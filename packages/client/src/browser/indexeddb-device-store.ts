import type { DeviceStore, StoredDevice } from "../device-store.ts";

const DB_NAME = "commune";
const STORE = "devices";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: "accountId" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = op(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(req.result as T);
        };
        tx.onerror = () => {
          db.close();
          reject(tx.error);
        };
      }),
  );
}

/**
 * Keeps device keys in IndexedDB. CryptoKey objects are stored as they are (structured clone), so the
 * private key stays non-extractable: script on the page can use it but never read its bytes.
 */
export class IndexedDbDeviceStore implements DeviceStore {
  readonly needsExtractableKeys = false;
  async load(accountId: string): Promise<StoredDevice | null> {
    return (await run<StoredDevice | undefined>("readonly", (s) => s.get(accountId))) ?? null;
  }
  async save(device: StoredDevice): Promise<void> {
    await run("readwrite", (s) => s.put(device));
  }
  async remove(accountId: string): Promise<void> {
    await run("readwrite", (s) => s.delete(accountId));
  }
}
