/**
 * Where opaque blobs (encrypted attachments, later) live: a folder by default; an S3-compatible
 * store can implement the same interface. Blobs are written to a temporary file and renamed into
 * place, so a reader (or a backup copying the folder) never sees half a blob.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  get(id: string): Promise<Uint8Array | null>;
  delete(id: string): Promise<void>;
  size(id: string): Promise<number | null>;
}

const ID = /^[A-Za-z0-9_-]{22}$/;

export class FolderBlobStore implements BlobStore {
  readonly folder: string;
  constructor(folder: string) {
    this.folder = folder;
  }
  #path(id: string): string {
    if (!ID.test(id)) throw new TypeError("bad blob id");
    return join(this.folder, id.slice(0, 2), id);
  }
  async put(bytes: Uint8Array): Promise<string> {
    const id = randomBytes(16).toString("base64url");
    const path = this.#path(id);
    await mkdir(join(this.folder, id.slice(0, 2)), { recursive: true });
    const tmp = join(this.folder, `.tmp-${id}`);
    await writeFile(tmp, bytes, { flush: true });
    await rename(tmp, path);
    return id;
  }
  async get(id: string): Promise<Uint8Array | null> {
    if (!ID.test(id)) return null;
    try {
      return await readFile(this.#path(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
  async delete(id: string): Promise<void> {
    if (ID.test(id)) await rm(this.#path(id), { force: true });
  }
  async size(id: string): Promise<number | null> {
    if (!ID.test(id)) return null;
    try {
      return (await stat(this.#path(id))).size;
    } catch {
      return null;
    }
  }
}
