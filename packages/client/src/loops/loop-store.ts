/**
 * Where a device keeps its MLS secrets and group states: bytes under string keys. A file folder
 * for the headless client (`@commune/client/node`), IndexedDB in the browser, memory for tests.
 * Everything stored here is secret: it stays on the device.
 */
export interface LoopStore {
  get(key: string): Promise<Uint8Array | null>;
  set(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  keys(prefix: string): Promise<string[]>;
}

export class MemoryLoopStore implements LoopStore {
  #data = new Map<string, Uint8Array>();
  async get(key: string): Promise<Uint8Array | null> {
    return this.#data.get(key) ?? null;
  }
  async set(key: string, value: Uint8Array): Promise<void> {
    this.#data.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.#data.delete(key);
  }
  async keys(prefix: string): Promise<string[]> {
    return [...this.#data.keys()].filter((k) => k.startsWith(prefix));
  }
}
