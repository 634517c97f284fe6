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
  /** the most page cache this connection keeps, KiB; default {@link DEFAULT_CACHE_KIB} */
  readonly cacheKib?: number
}

/**
 * Page cache per connection, KiB: SQLite's own default. better-sqlite3 builds SQLite with 16 MB
 * (`SQLITE_DEFAULT_CACHE_SIZE=-16000`), and a server holds half a dozen connections: after the
 * master-contract download and an API burst their caches held ~18 MB of the server's heap, pages
 * nothing reads twice (the symbol table is read once into memory; the hot rows of orders and
 * positions fit in 2 MB many times over). Reads past the cache come from the OS's file cache.
 */
export const DEFAULT_CACHE_KIB = 2048

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
  db.pragma(`cache_size = -${Math.max(64, Math.round(options.cacheKib ?? DEFAULT_CACHE_KIB))}`)
  if (!options.readonly) {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  }
  db.pragma('foreign_keys = ON')
  return db
}

/**
 * Hands the connection's unused memory back to the allocator (`PRAGMA shrink_memory`): the page
 * cache's clean pages and spare lookaside slots. For the quiet after a burst (a master-contract
 * swap, a bulk read); the next query reads what it needs from the file again. Never throws: a
 * closed connection or one busy iterating has nothing to give back now.
 */
export function releaseSqliteMemory(db: SqliteDatabase): void {
  if (!db.open) return
  try {
    db.pragma('shrink_memory')
  } catch {
    // an open iterator holds the connection; the next quiet spell tries again
  }
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
