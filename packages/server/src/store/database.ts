/**
 * Opens the store: SQLite through `node:sqlite` (default, a file in the data folder) or PostgreSQL
 * through `pg` when the database URL says so. Both speak the same Kysely schema and migrations.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema/index.ts";
import { NodeSqliteDatabase } from "./sqlite/node-sqlite-database.ts";
import { migrateToLatest } from "./migrator.ts";

export type Dialect = "sqlite" | "postgres";

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The SQLite file (for backups); null on PostgreSQL. */
  readonly sqlitePath: string | null;
  /** The raw SQLite handle, for `VACUUM INTO`; null on PostgreSQL. */
  readonly sqlite: NodeSqliteDatabase | null;
  /** The PostgreSQL schema in use, when not the default. */
  readonly schema: string | undefined;
  /** Applies every pending migration; returns the names applied. */
  migrate(): Promise<string[]>;
  ping(): Promise<boolean>;
  destroy(): Promise<void>;
}

export interface StoreOptions {
  /** `sqlite:<path>` or `postgres://…`. */
  readonly url: string;
  /** PostgreSQL schema to use (created if missing); lets tests share one database. */
  readonly pgSchema?: string | undefined;
  readonly pgPoolSize?: number;
}

// int8 (counts, bigint columns) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function openStore(options: StoreOptions): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(options.url)) return openPostgres(options);
  const path = options.url.replace(/^sqlite:/, "");
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new NodeSqliteDatabase(path);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: "sqlite",
    sqlitePath: path,
    sqlite,
    schema: undefined,
    migrate: () => migrateToLatest(db as Kysely<unknown>, "sqlite"),
    ping: () => ping(db),
    destroy: () => db.destroy(),
  };
}

async function openPostgres(options: StoreOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error("database schema: lowercase letters, digits and _ only");
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.pgPoolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error (the server restarting) must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  return {
    db,
    dialect: "postgres",
    sqlitePath: null,
    sqlite: null,
    schema,
    migrate: () => migrateToLatest(db as Kysely<unknown>, "postgres", schema),
    ping: () => ping(db),
    destroy: () => db.destroy(),
  };
}

async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
