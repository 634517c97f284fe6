import { createEpochWatcher, type EpochWatcher } from '@oa/auth-cache'
import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'

/** The `app_meta` epoch bumped with every change of the `settings` row (architecture.md). */
export const SETTINGS_EPOCH = 'settings_epoch'

/**
 * Writes `settings.analyze_mode` and bumps `app_meta.settings_epoch` in one transaction, so every
 * other process (a running server, the ws-proxy) sees the change on its next epoch poll. Used by
 * the server and by `oa analyzer on|off`, which may run while the server does.
 *
 * @returns the previous value
 */
export function writeAnalyzeMode(db: SqliteDatabase, on: boolean, nowMs: number): boolean {
  const at = new Date(nowMs).toISOString()
  return db
    .transaction((): boolean => {
      const before = readAnalyzeMode(db)
      db.prepare('UPDATE settings SET analyze_mode = ?, updated_at = ? WHERE id = 1').run(
        on ? 1 : 0,
        at,
      )
      db.prepare(
        `INSERT INTO app_meta (key, value, updated_at) VALUES (?, '1', ?)
       ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT),
         updated_at = excluded.updated_at`,
      ).run(SETTINGS_EPOCH, at)
      return before
      // IMMEDIATE: the write lock first. A deferred transaction reads, then finds another
      // connection (the running server) wrote meanwhile, and fails at once with "database is
      // locked" instead of waiting out the busy timeout.
    })
    .immediate()
}

/** `settings.analyze_mode` as stored (the migration creates the single row, default off). */
export function readAnalyzeMode(db: SqliteDatabase): boolean {
  const row = db.prepare('SELECT analyze_mode FROM settings WHERE id = 1').get() as
    { analyze_mode: number } | undefined
  return Boolean(row?.analyze_mode)
}

/**
 * The global analyzer switch (spec api.md §4, W-28: one per installation, not per key), read on
 * every order. A change made here takes effect at once in this process, and so does a change
 * another process (`oa analyzer on`) committed: `isOn()` first compares `PRAGMA data_version`
 * (no I/O) and re-reads the row only when it moved. The poll only tells the listeners (sandbox
 * timers, the dashboard) of a change when no request asked meanwhile.
 */
export interface AnalyzerMode {
  /** the mode as last committed by any process (one `PRAGMA data_version` read, ~1 µs) */
  isOn(): boolean
  /**
   * Switches the mode (row + epoch in one transaction) and tells the listeners when it changed.
   * `by` is logged (W-28: log every change). Returns the previous value.
   */
  set(on: boolean, by: string): boolean
  /** registers a listener for changes (from this process or another); returns the remover */
  onChange(listener: (on: boolean) => void): () => void
  /** polls once (tests call it instead of waiting for the timer) */
  check(): void
  /** starts polling for other processes' changes */
  start(): void
  stop(): void
}

export interface AnalyzerModeOptions {
  /** the main database's connection (`openalgo.db`) */
  readonly db: SqliteDatabase
  readonly clock: Clock
  readonly logger: Logger
  /** poll period, default 100 ms */
  readonly pollIntervalMs?: number
}

export function createAnalyzerMode(options: AnalyzerModeOptions): AnalyzerMode {
  const { db, clock } = options
  const logger = options.logger.child({ component: 'analyzer-mode' })
  let on = readAnalyzeMode(db)
  const listeners = new Set<(on: boolean) => void>()

  const apply = (next: boolean, source: string): void => {
    if (next === on) return
    on = next
    logger.info({ analyzeMode: next, source }, 'analyzer mode changed')
    for (const listener of [...listeners]) {
      try {
        listener(next)
      } catch (error) {
        logger.error({ err: error }, 'analyzer mode listener failed')
      }
    }
  }

  const epoch = db.prepare('SELECT value FROM app_meta WHERE key = ?')
  const dataVersion = db.prepare('PRAGMA data_version')
  const watcher: EpochWatcher = createEpochWatcher({
    dataVersion: () => Number((dataVersion.get() as { data_version: number }).data_version),
    readEpochs: () => ({
      [SETTINGS_EPOCH]: (epoch.get(SETTINGS_EPOCH) as { value: string } | undefined)?.value ?? '',
    }),
    onChange: () => apply(readAnalyzeMode(db), 'another process'),
    intervalMs: options.pollIntervalMs ?? 100,
    schedule: (fn, ms) => {
      const timer = setInterval(fn, ms)
      timer.unref()
      return () => clearInterval(timer)
    },
    logger,
  })

  return {
    isOn() {
      // Where an order goes must follow the committed row, not a poll: once `oa analyzer on` has
      // returned, no order may reach the live broker. `PRAGMA data_version` costs about a
      // microsecond and no I/O; the rows are read only when another connection committed.
      try {
        watcher.check()
      } catch (error) {
        // a closing or busy database: the last mode seen stands, and the poll retries
        logger.warn({ err: error }, 'analyzer mode check failed')
      }
      return on
    },
    set(next, by) {
      const before = writeAnalyzeMode(db, next, clock.now())
      logger.info({ analyzeMode: next, by }, 'analyzer mode set')
      apply(next, by)
      return before
    },
    onChange(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    check: () => void watcher.check(),
    start: () => watcher.start(),
    stop: () => watcher.stop(),
  }
}
