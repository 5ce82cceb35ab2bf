/**
 * A device's sealing key survives the headless client's key file, and a file written before
 * sealing keys existed still loads (ensureDevice then adds one; see organization-keys.test.ts).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { exportDeviceKeyPair, generateDeviceKeyPair, generateSealKeyPair } from "@commune/crypto";
import { FileDeviceStore } from "../src/node/file-device-store.ts";

describe("FileDeviceStore and sealing keys", () => {
  it("saves and loads the X25519 sealing key beside the signature key, readable by the owner only", async () => {
    const folder = await mkdtemp(join(tmpdir(), "commune-device-"));
    try {
      const store = new FileDeviceStore(folder);
      const sealKeyPair = generateSealKeyPair();
      await store.save({ accountId: "acc1", deviceId: "dev1", name: "cli", keyPair: await generateDeviceKeyPair({ extractable: true }), sealKeyPair });
      const loaded = await store.load("acc1");
      assert.deepEqual(loaded?.sealKeyPair?.privateKey, sealKeyPair.privateKey);
      assert.deepEqual(loaded?.sealKeyPair?.publicKey, sealKeyPair.publicKey);
      assert.equal((await stat(join(folder, "acc1.json"))).mode & 0o777, 0o600);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("loads a key file from before sealing keys, without one", async () => {
    const folder = await mkdtemp(join(tmpdir(), "commune-device-"));
    try {
      const keys = await exportDeviceKeyPair(await generateDeviceKeyPair({ extractable: true }));
      await writeFile(join(folder, "acc2.json"), JSON.stringify({ deviceId: "dev2", name: "old cli", ...keys }));
      const loaded = await new FileDeviceStore(folder).load("acc2");
      assert.equal(loaded?.deviceId, "dev2");
      assert.equal(loaded?.sealKeyPair, undefined);
      assert.ok(!(await readFile(join(folder, "acc2.json"), "utf8")).includes("seal"));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
