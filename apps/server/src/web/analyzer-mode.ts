import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import { readAnalyzeMode, writeAnalyzeMode } from '../settings/analyzer-mode.js'

/**
 * The analyzer switch as stored (`settings.analyze_mode`, `settings_epoch` bumped in the same
 * transaction: the settings area's functions), for a server whose context has no live
 * `AnalyzerMode` service; the stored row is the single truth either way.
 */
export interface StoredAnalyzerMode {
  get(): 'live' | 'analyze'
  set(mode: 'live' | 'analyze'): void
}

export function createStoredAnalyzerMode(db: SqliteDatabase, clock: Clock): StoredAnalyzerMode {
  return {
    get: () => (readAnalyzeMode(db) ? 'analyze' : 'live'),
    set: (mode) => void writeAnalyzeMode(db, mode === 'analyze', clock.now()),
  }
}
