/** Every byte an instance keeps, for tests that prove something is not stored or logged. */
import { readdir, readFile } from "node:fs/promises";
import { join as joinPath } from "node:path";
import pg from "pg";
import { PG_URL, type TestServer } from "./helpers.ts";

/**
 * Each table's rows (PostgreSQL: as JSON; SQLite: its files, which are in the data folder), every
 * file of the data folder, and the log lines, as one string to search.
 */
export async function dumpEverything(t: TestServer, logs: readonly string[]): Promise<string> {
  let dump = logs.join("\n");
  for (const f of await readdir(t.dataDir, { recursive: true })) {
    const bytes = await readFile(joinPath(t.dataDir, f)).catch(() => null);
    // both readings: ASCII survives either, and UTF-8 text (accents, kana, Arabic) only the second
    if (bytes) dump += bytes.toString("latin1") + bytes.toString("utf8");
  }
  if (t.dialect === "postgres") {
    const schema = t.server.ctx.config.databaseSchema as string;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = $1", [schema]);
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`select row_to_json(t)::text as j from "${schema}"."${table_name}" t`);
        dump += rows.rows.map((r: { j: string }) => r.j).join("\n");
      }
    } finally {
      await client.end();
    }
  }
  return dump;
}
