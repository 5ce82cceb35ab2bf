import type { Kysely } from "kysely";
import { Migrator, type MigrationResultSet } from "kysely/migration";
import type { Dialect } from "./database.ts";
import { migrations } from "./migrations/index.ts";

export function createMigrator(db: Kysely<unknown>, dialect: Dialect, schema?: string): Migrator {
  return new Migrator({
    db,
    // Kysely looks for its bookkeeping tables in every schema unless told which one is ours
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: {
      async getMigrations() {
        return Object.fromEntries(
          Object.entries(migrations).map(([name, m]) => [
            name,
            { up: (d: Kysely<unknown>) => m.up(d, dialect), down: (d: Kysely<unknown>) => m.down(d, dialect) },
          ]),
        );
      },
    },
  });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<string[]> {
  let result: MigrationResultSet = await createMigrator(db, dialect, schema).migrateToLatest();
  // Kysely's migrator looks for its tables with an introspection query over every schema of the
  // database, and PostgreSQL fails that query when another schema changes while it runs (tests
  // migrate and drop theirs in parallel; an operator may too): "schema … does not exist" (3F000),
  // "relation … does not exist" (42P01), "column … does not exist" (42703). When no migration has
  // run yet, nothing was applied: looking again is safe.
  for (let attempt = 1; attempt < 4 && isCatalogRace(result); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    result = await createMigrator(db, dialect, schema).migrateToLatest();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message ?? result.error}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

const CATALOG_RACE_CODES = new Set(["3F000", "42P01", "42703"]);

/** A failure of the migrator's introspection because another schema changed meanwhile, before any migration ran. */
export function isCatalogRace(result: MigrationResultSet): boolean {
  const { error } = result;
  const code = !!error && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && CATALOG_RACE_CODES.has(code) && !(result.results ?? []).some((r) => r.status === "Error");
}
