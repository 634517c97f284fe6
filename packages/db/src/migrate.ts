import { Migrator, type Kysely, type Migration, type MigrationResult } from 'kysely'

/** A named, ordered set of migrations for one database file. */
export interface MigrationSet {
  /** which database the set belongs to, for messages (`main`, `logs`, ...) */
  readonly database: string
  /** migration name → migration; names sort in application order (`0001_app_meta`, ...) */
  readonly migrations: Readonly<Record<string, Migration>>
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError'
  constructor(
    readonly database: string,
    readonly migration: string | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * Applies every pending migration of `set` inside the database, recording each in the
 * `schema_version` table. Idempotent: a second run applies nothing. Migration numbers are
 * reserved in ranges per area (see src/migrations/README.md), so a later range may land before
 * an earlier one; unordered application is therefore allowed.
 *
 * @returns the names applied by this call
 * @throws MigrationError naming the database and the migration that failed
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, set: MigrationSet): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...set.migrations }) },
    migrationTableName: 'schema_version',
    migrationLockTableName: 'schema_version_lock',
    allowUnorderedMigrations: true,
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r: MigrationResult) => r.status === 'Error')
  if (error !== undefined) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new MigrationError(
      set.database,
      failed?.migrationName ?? null,
      `migration ${failed?.migrationName ?? '(setup)'} of the ${set.database} database failed: ${reason}`,
      { cause: error },
    )
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
