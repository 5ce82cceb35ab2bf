/**
 * Adapts Node's built-in `node:sqlite` to the small interface Kysely's SqliteDialect expects (the
 * shape of better-sqlite3). Written by hand because the built-in module needs no native addon and no
 * install script, and no maintained adapter exists; it is a thin shim, with a statement cache
 * because preparing is a measurable share of a small query's time.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { SqliteDatabase, SqliteStatement } from "kysely";

type Param = null | number | bigint | string | Uint8Array;
const CACHE_LIMIT = 256;

function toParams(parameters: ReadonlyArray<unknown>): Param[] {
  return parameters.map((value) => {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (value === undefined) return null;
    return value as Param;
  });
}

class Statement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;
  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...toParams(parameters));
  }
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#stmt.run(...toParams(parameters));
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#stmt.iterate(...toParams(parameters)) as IterableIterator<unknown>;
  }
}

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  readonly #cache = new Map<string, Statement>();

  constructor(path: string) {
    this.raw = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5000 });
    // secure_delete: what is deleted (an account, a withdrawn signer's public name) is overwritten
    // in the file, not left in free pages for whoever copies the disk
    this.raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;");
  }

  prepare(sql: string): SqliteStatement {
    let stmt = this.#cache.get(sql);
    if (stmt) {
      // refresh recency: Map iteration order is insertion order
      this.#cache.delete(sql);
    } else {
      stmt = new Statement(this.raw.prepare(sql));
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(sql, stmt);
    return stmt;
  }

  close(): void {
    this.#cache.clear();
    if (this.raw.isOpen) this.raw.close();
  }
}
