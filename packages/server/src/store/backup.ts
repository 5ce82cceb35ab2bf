/**
 * A consistent snapshot while the server runs: `VACUUM INTO` copies the SQLite database as of one
 * transaction (WAL readers do not block writers), then the blob folder is copied. Blobs are
 * immutable and written by rename, so a copy never holds half a blob; a blob written during the
 * copy may be missing from it, never corrupt.
 */
import { constants } from "node:fs";
import { cp, mkdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface BackupResult {
  readonly folder: string;
  readonly databaseBytes: number;
}

/** `secretPath`: the instance secret file, without which the petition deduplication index is useless. */
export async function backup(options: { sqlitePath: string; blobDir: string; secretPath?: string; outDir: string; now?: Date }): Promise<BackupResult> {
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
  const folder = join(options.outDir, `commune-backup-${stamp}`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, "commune.sqlite");
  const db = new DatabaseSync(options.sqlitePath, { readOnly: true, timeout: 10_000 });
  try {
    db.prepare("VACUUM INTO ?").run(target);
  } finally {
    db.close();
  }
  try {
    await cp(options.blobDir, join(folder, "blobs"), { recursive: true, filter: (src) => !/[\\/]\.tmp-[^\\/]*$/.test(src) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await mkdir(join(folder, "blobs"));
  }
  if (options.secretPath) {
    try {
      await cp(options.secretPath, join(folder, basename(options.secretPath)), { mode: constants.COPYFILE_EXCL });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return { folder, databaseBytes: (await stat(target)).size };
}
