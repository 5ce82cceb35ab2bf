/**
 * The instance's own secret: 32 random bytes in `<data>/secret.key`, made on first start, from which
 * purpose-bound keys are derived (the petition deduplication index, …). It lives beside the
 * database, not in it, so a dump of the database alone (a PostgreSQL backup, a stolen replica)
 * cannot be used to test guessed email addresses against the deduplication index. Several server
 * processes behind one load balancer must share the same file.
 */
import { hkdfSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECRET_FILE = "secret.key";

export interface InstanceSecrets {
  /** A 32-byte key for one purpose; the same label gives the same key across restarts. */
  derive(label: string): Buffer;
}

export function loadInstanceSecrets(dataDir: string): InstanceSecrets {
  const path = join(dataDir, SECRET_FILE);
  let master: Buffer;
  try {
    master = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    master = randomBytes(32);
    // "wx": two processes starting at once on a shared folder must not both write one
    try {
      writeFileSync(path, `${master.toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
      master = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
    }
  }
  if (master.length < 32) throw new Error(`${path} is damaged: it must hold at least 32 bytes in base64url`);
  const cache = new Map<string, Buffer>();
  return {
    derive(label) {
      let key = cache.get(label);
      if (!key) {
        key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `commune ${label}`, 32));
        cache.set(label, key);
      }
      return key;
    },
  };
}
