/**
 * The headless client's verification records in one JSON file, readable by its owner only, written
 * by replacing the file so a crash leaves the old version or the new one. Node only: exported from
 * `@commune/client/node`.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseContactRecord, type ContactRecord, type VerificationStore } from "./verification-store.ts";

export class FileVerificationStore implements VerificationStore {
  readonly path: string;
  #cache: Map<string, ContactRecord> | null = null;
  #writing: Promise<void> = Promise.resolve();

  /** `path`: the file, e.g. `~/.config/commune/<account id>.contacts.json`. */
  constructor(path: string) {
    this.path = path;
  }

  async #records(): Promise<Map<string, ContactRecord>> {
    if (this.#cache) return this.#cache;
    let parsed: unknown = [];
    try {
      parsed = JSON.parse(await readFile(this.path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const records = new Map<string, ContactRecord>();
    for (const item of Array.isArray(parsed) ? parsed : []) {
      const record = parseContactRecord(item);
      if (record) records.set(record.accountId, record);
    }
    this.#cache = records;
    return records;
  }

  async load(accountId: string): Promise<ContactRecord | null> {
    return (await this.#records()).get(accountId) ?? null;
  }

  async all(): Promise<ContactRecord[]> {
    return [...(await this.#records()).values()];
  }

  async save(record: ContactRecord): Promise<void> {
    const records = await this.#records();
    records.set(record.accountId, record);
    const text = JSON.stringify([...records.values()]);
    // one write at a time, each with everything saved so far
    const write = this.#writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.path);
    });
    this.#writing = write.catch(() => {});
    await write;
  }
}
