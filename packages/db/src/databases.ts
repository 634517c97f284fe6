import { Kysely, SqliteDialect } from 'kysely'
import { migrateToLatest, type MigrationSet } from './migrate.js'
import { closeSqlite, openSqlite, type SqliteDatabase } from './sqlite.js'

/** One open database file: the raw better-sqlite3 connection and a typed kysely over it. */
export interface DatabaseHandle<DB> {
  readonly path: string
  /** the raw connection, for synchronous hot paths, `PRAGMA data_version` polling and bulk loads */
  readonly sqlite: SqliteDatabase
  readonly db: Kysely<DB>
  /** checkpoints the WAL and closes; safe to call twice */
  close(): Promise<void>
}

/**
 * Opens a database file with the oa connection policy and applies its pending migrations.
 *
 * @throws MigrationError when a migration fails (the connection is closed first)
 */
export async function openDatabase<DB>(path: string, migrations: MigrationSet): Promise<DatabaseHandle<DB>> {
  const sqlite = openSqlite(path)
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await db.destroy().catch(() => undefined)
    closeSqlite(sqlite)
  }
  try {
    await migrateToLatest(db, migrations)
  } catch (error) {
    await close()
    throw error
  }
  return { path, sqlite, db, close }
}
