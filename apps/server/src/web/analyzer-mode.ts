import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'

/**
 * The analyzer switch as stored: `settings.analyze_mode` (spec frontend-and-features.md F10),
 * with `app_meta.settings_epoch` bumped in the same transaction so every process (the ws-proxy,
 * `oa` commands, the sandbox host) sees the change within one epoch poll (architecture.md).
 * Used while the orders area's own switch has not landed; the stored row is the single truth
 * either way.
 */
export interface StoredAnalyzerMode {
  get(): 'live' | 'analyze'
  set(mode: 'live' | 'analyze'): void
}

export function createStoredAnalyzerMode(db: SqliteDatabase, clock: Clock): StoredAnalyzerMode {
  const read = db.prepare('SELECT analyze_mode FROM settings WHERE id = 1')
  const write = db.prepare('UPDATE settings SET analyze_mode = ?, updated_at = ? WHERE id = 1')
  const bump = db.prepare(
    `INSERT INTO app_meta (key, value, updated_at) VALUES ('settings_epoch', '1', ?)
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT), updated_at = excluded.updated_at`,
  )
  const set = db.transaction((on: number, at: string) => {
    write.run(on, at)
    bump.run(at)
  })
  return {
    get: () =>
      (read.get() as { analyze_mode: number } | undefined)?.analyze_mode ? 'analyze' : 'live',
    set: (mode) => set(mode === 'analyze' ? 1 : 0, new Date(clock.now()).toISOString()),
  }
}
