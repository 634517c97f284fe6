import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

export type SqliteDatabase = Database.Database

/**
 * The SQLite driver's entry file, for code that must load it by path: a worker thread started
 * from source text (`new Worker(code, { eval: true })`) resolves nothing relative to a package.
 */
export const SQLITE_DRIVER_PATH: string = createRequire(import.meta.url).resolve('better-sqlite3')

export interface OpenSqliteOptions {
  /** open without write access (the file must exist) */
  readonly readonly?: boolean
  /** how long a writer waits for another process's lock before failing, default 15 000 ms */
  readonly busyTimeoutMs?: number
}

/**
 * Opens (creating if needed) one SQLite file with the connection policy every oa process uses:
 * WAL journal (readers never block the writer), `synchronous=NORMAL` (durable across process
 * crashes; a power cut may lose the last transactions, never corrupt), a busy timeout so the
 * server, the ws-proxy and `oa` subcommands can share a file, and foreign keys on.
 * One long-lived connection per file per process (spec platform.md §3.1).
 */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false })
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 15_000}`)
  if (!options.readonly) {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  }
  db.pragma('foreign_keys = ON')
  return db
}

/**
 * Closes a connection cleanly: folds the WAL back into the main file so the directory holds one
 * self-contained database file, then closes. Safe to call twice.
 */
export function closeSqlite(db: SqliteDatabase): void {
  if (!db.open) return
  if (!db.readonly) {
    try {
      db.pragma('optimize')
      db.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // another process holds the WAL open; SQLite checkpoints it later, nothing is lost
    }
  }
  db.close()
}
