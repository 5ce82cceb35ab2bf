import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { exportDeviceKeyPair, fromBase64Url, importDeviceKeyPair, toBase64Url } from "@commune/crypto";
import type { DeviceStore, StoredDevice } from "../device-store.ts";

/** Keeps each account's device key in `<folder>/<accountId>.json`, readable by the owner only. */
export class FileDeviceStore implements DeviceStore {
  readonly needsExtractableKeys = true;
  readonly folder: string;
  constructor(folder: string) {
    this.folder = folder;
  }
  #path(accountId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(accountId)) throw new TypeError("bad account id");
    return join(this.folder, `${accountId}.json`);
  }
  async load(accountId: string): Promise<StoredDevice | null> {
    let text: string;
    try {
      text = await readFile(this.#path(accountId), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const saved = JSON.parse(text) as { deviceId: string; name: string; privateKey: string; publicKey: string; sealPrivateKey?: string; sealPublicKey?: string };
    const keyPair = await importDeviceKeyPair(saved);
    const device: StoredDevice = { accountId, deviceId: saved.deviceId, name: saved.name, keyPair };
    if (!saved.sealPrivateKey || !saved.sealPublicKey) return device;
    return { ...device, sealKeyPair: { privateKey: fromBase64Url(saved.sealPrivateKey), publicKey: fromBase64Url(saved.sealPublicKey) } };
  }
  async save(device: StoredDevice): Promise<void> {
    const path = this.#path(device.accountId);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const keys = await exportDeviceKeyPair(device.keyPair);
    const tmp = `${path}.tmp`;
    const seal = device.sealKeyPair ? { sealPrivateKey: toBase64Url(device.sealKeyPair.privateKey), sealPublicKey: toBase64Url(device.sealKeyPair.publicKey) } : {};
    await writeFile(tmp, JSON.stringify({ deviceId: device.deviceId, name: device.name, ...keys, ...seal }), { mode: 0o600 });
    await rename(tmp, path);
  }
  async remove(accountId: string): Promise<void> {
    await rm(this.#path(accountId), { force: true });
  }
}
