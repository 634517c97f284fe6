import { lastBoundaryAtOrBefore, type AuthCache, type SessionExpiry } from '@oa/auth-cache'
import type { SqliteDatabase } from '@oa/db'
import { Cron } from 'croner'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { SessionManager } from './sessions.js'

const MARKER = 'last_session_rollover'

/**
 * The daily rollover at SESSION_EXPIRY_TIME IST (W-16): revoke every broker token (brokers kill
 * theirs around then anyway), drop the caches everywhere through the epoch, and sweep the web
 * sessions from before the boundary. `runDue()` is a pure function of the clock and a marker row,
 * so it is safe to call at startup (a boundary passed while the server was down) and from the
 * croner job; it does the work at most once per boundary.
 */
export interface Rollover {
  /** true when a boundary had passed since the last run and the rollover ran */
  runDue(): boolean
  /** schedules `runDue` at the boundary (croner, fixed +05:30 offset); no-op when expiry is disabled */
  start(): void
  stop(): void
}

export function createRollover(options: {
  readonly db: SqliteDatabase
  readonly auth: AuthCache
  readonly sessions: SessionManager
  readonly clock: Clock
  readonly expiry: SessionExpiry
  readonly logger: Logger
  /** extra work at the boundary (symbol snapshot stale, ...) */
  readonly onRollover?: () => void
}): Rollover {
  const { db, auth, sessions, clock, expiry, logger } = options
  const read = db.prepare(`SELECT value FROM app_meta WHERE key = '${MARKER}'`)
  const write = db.prepare(
    `INSERT INTO app_meta (key, value, updated_at) VALUES ('${MARKER}', ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  let job: Cron | null = null
  const runDue = (): boolean => {
    if (expiry.disabled) return false
    const now = clock.now()
    const boundary = lastBoundaryAtOrBefore(now, expiry.time)
    const last = Date.parse((read.get() as { value: string } | undefined)?.value ?? '')
    if (Number.isFinite(last) && last >= boundary) return false
    const revoked = auth.revokeAllBrokerSessions()
    const swept = sessions.sweep()
    write.run(new Date(boundary).toISOString(), new Date(now).toISOString())
    options.onRollover?.()
    logger.info(
      { revoked, sessionsSwept: swept, boundary: new Date(boundary).toISOString() },
      'daily session rollover',
    )
    return true
  }
  return {
    runDue,
    start() {
      if (expiry.disabled || job) return
      const { hour, minute } = expiry.time
      job = new Cron(
        `0 ${minute} ${hour} * * *`,
        { utcOffset: 330, unref: true, protect: true },
        () => {
          try {
            // a timer may fire a hair before the boundary by the injected clock: try once more
            if (!runDue()) setTimeout(() => void runDue(), 1_500).unref()
          } catch (error) {
            logger.error({ err: error }, 'daily session rollover failed')
          }
        },
      )
    },
    stop() {
      job?.stop()
      job = null
    },
  }
}
