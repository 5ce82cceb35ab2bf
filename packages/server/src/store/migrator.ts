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
  // database, and PostgreSQL fails that query ("schema … does not exist", 3F000) when another
  // schema is dropped while it runs (tests drop theirs in parallel; an operator may too). Nothing
  // was applied then: looking again is safe.
  for (let attempt = 1; attempt < 4 && isDroppedSchemaRace(result.error); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    result = await createMigrator(db, dialect, schema).migrateToLatest();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message ?? result.error}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

function isDroppedSchemaRace(error: unknown): boolean {
  return !!error && typeof error === "object" && (error as { code?: unknown }).code === "3F000";
}
