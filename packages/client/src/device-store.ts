import type { DeviceKeyPair } from "@commune/crypto";

/** What a device remembers about itself for one account. */
export interface StoredDevice {
  readonly accountId: string;
  readonly deviceId: string;
  readonly name: string;
  readonly keyPair: DeviceKeyPair;
  /**
   * X25519 key pair the organization key is sealed to (raw bytes, like the device's MLS keys).
   * Absent on devices stored before it existed: `ensureDevice` adds one.
   */
  readonly sealKeyPair?: { readonly publicKey: Uint8Array; readonly privateKey: Uint8Array };
}

/**
 * Where a device keeps its keys: IndexedDB in a browser (`@commune/client/browser`), a file for
 * the headless client (`@commune/client/node`), memory for short-lived tools.
 */
export interface DeviceStore {
  load(accountId: string): Promise<StoredDevice | null>;
  save(device: StoredDevice): Promise<void>;
  remove(accountId: string): Promise<void>;
  /** Whether keys it creates must be extractable to be saved (files) or not (IndexedDB). */
  readonly needsExtractableKeys: boolean;
}

export class MemoryDeviceStore implements DeviceStore {
  readonly needsExtractableKeys = false;
  #devices = new Map<string, StoredDevice>();
  async load(accountId: string): Promise<StoredDevice | null> {
    return this.#devices.get(accountId) ?? null;
  }
  async save(device: StoredDevice): Promise<void> {
    this.#devices.set(device.accountId, device);
  }
  async remove(accountId: string): Promise<void> {
    this.#devices.delete(accountId);
  }
}
