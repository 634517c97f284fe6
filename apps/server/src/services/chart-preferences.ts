/**
 * Per-user chart preferences (spec api.md §11.5): free-form key → text value, one row per key in
 * `chart_preferences` (main DB, migration 0061). Values that are not strings are stored as their
 * JSON text, so a client that sends an object gets the same text back.
 */
import type { DatabaseHandle, MainDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import type { Caller } from '../api/endpoint.js'

export type PrefsResult<T> = { ok: true; value: T } | { ok: false; status: 400; message: string }

const MAX_KEYS = 50
const MAX_KEY_CHARS = 50
const MAX_VALUE_BYTES = 1_048_576

export interface ChartPreferences {
  read(caller: Caller): Record<string, string | null>
  /** upserts every key of `prefs` (the request body without `apikey`) */
  update(caller: Caller, prefs: Record<string, unknown>): PrefsResult<number>
}

export function createChartPreferences(deps: {
  readonly main: DatabaseHandle<MainDatabase>
  readonly clock: Clock
}): ChartPreferences {
  const db = deps.main.sqlite
  const select = db.prepare<[string], { key: string; value: string | null }>(
    'SELECT key, value FROM chart_preferences WHERE user_id = ? ORDER BY key',
  )
  const upsert = db.prepare(
    `INSERT INTO chart_preferences (user_id, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  const write = db.transaction((user: string, rows: [string, string | null][], at: string) => {
    for (const [k, v] of rows) upsert.run(user, k, v, at)
  })
  return {
    read(caller) {
      const out: Record<string, string | null> = {}
      for (const row of select.all(caller.username)) out[row.key] = row.value
      return out
    },
    update(caller, prefs) {
      const entries = Object.entries(prefs)
      if (entries.length === 0)
        return { ok: false, status: 400, message: 'No preferences provided to update' }
      if (entries.length > MAX_KEYS)
        return { ok: false, status: 400, message: 'Too many preference keys (max 50)' }
      const rows: [string, string | null][] = []
      for (const [k, v] of entries) {
        if (k.length > MAX_KEY_CHARS)
          return {
            ok: false,
            status: 400,
            message: `Preference key too long: ${k.slice(0, 20)}... (max 50 chars)`,
          }
        const text = v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)
        if (Buffer.byteLength(text ?? 'null') > MAX_VALUE_BYTES)
          return {
            ok: false,
            status: 400,
            message: `Preference value too large for key: ${k} (max 1MB)`,
          }
        rows.push([k, text])
      }
      write(caller.username, rows, new Date(deps.clock.now()).toISOString())
      return { ok: true, value: rows.length }
    },
  }
}
