/**
 * The two switches that route an API call (spec api.md §4–§5): the installation-wide analyzer
 * mode (`settings.analyze_mode`) and the caller's order mode (`api_keys.order_mode`, `auto` or
 * `semi_auto`). Read from the stored rows: a microsecond SQLite read, and always current, since
 * `oa analyzer` and the web app change them from other code paths.
 */
import type { DatabaseHandle, MainDatabase } from '@oa/db'

export interface AccountMode {
  isAnalyze(): boolean
  isSemiAuto(username: string): boolean
}

export function createAccountMode(main: DatabaseHandle<MainDatabase>): AccountMode {
  const analyze = main.sqlite.prepare<[], { analyze_mode: number }>(
    'SELECT analyze_mode FROM settings ORDER BY id LIMIT 1',
  )
  const orderMode = main.sqlite.prepare<[string], { order_mode: string | null }>(
    'SELECT order_mode FROM api_keys WHERE user_id = ?',
  )
  return {
    isAnalyze: () => Boolean(analyze.get()?.analyze_mode),
    isSemiAuto: (username) => orderMode.get(username)?.order_mode === 'semi_auto',
  }
}
