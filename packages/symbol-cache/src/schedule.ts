// The boundary reload schedule (W-22): croner only decides *when* to call `runDue()`; whether a
// reload is due is the cache's decision from its injected clock. The host creates this (never
// at import) and stops it on shutdown.
import { Cron } from 'croner'
import { assertTimeOfDay } from './ist.js'
import type { LoadOutcome, SymbolCache } from './symbol-cache.js'
import type { IstTimeOfDay, Logger } from './types.js'

/** Options of {@link scheduleBoundaryReload}. */
export interface BoundaryReloadOptions {
  /** IST session boundary; default 03:00. Use the same value as the cache's `sessionExpiry`. */
  readonly sessionExpiry?: IstTimeOfDay
  /**
   * after a failed reload, try again about a second later and then every this many seconds
   * until one succeeds; default 60
   */
  readonly retryEverySeconds?: number
  readonly logger?: Logger
  /** called with the outcome of every reload the schedule triggered */
  readonly onReload?: (outcome: LoadOutcome) => void
}

/** A running schedule. */
export interface BoundaryReloadSchedule {
  /** Stops both jobs; idempotent. */
  stop(): void
  /** Next boundary run as epoch ms, or null when stopped. */
  nextRunMs(): number | null
}

/**
 * Calls `cache.runDue()` one second after the session boundary every day in Asia/Kolkata (the
 * second keeps a timer that fires a hair early from finding nothing due), and, when that reload
 * fails, again about a second later and then every `retryEverySeconds` until one succeeds. The
 * cache keeps serving its previous snapshot meanwhile.
 *
 * @example
 * ```ts
 * const schedule = scheduleBoundaryReload(cache, { sessionExpiry: { hour: 3, minute: 0 } })
 * process.on('SIGTERM', () => schedule.stop())
 * ```
 */
export function scheduleBoundaryReload(
  cache: Pick<SymbolCache, 'runDue'>,
  options: BoundaryReloadOptions = {},
): BoundaryReloadSchedule {
  const at = options.sessionExpiry ?? { hour: 3, minute: 0 }
  assertTimeOfDay(at)
  const retrySeconds = options.retryEverySeconds ?? 60
  if (!Number.isInteger(retrySeconds) || retrySeconds < 1) {
    throw new Error(`retryEverySeconds must be a positive integer, got ${retrySeconds}`)
  }
  const log = options.logger

  const run = async (): Promise<void> => {
    const due = cache.runDue()
    if (due === undefined) {
      retry.pause()
      return
    }
    const outcome = await due
    options.onReload?.(outcome)
    if (outcome.ok) retry.pause()
    else {
      log?.warn({ code: outcome.error.code }, 'symbol cache boundary reload failed; will retry')
      retry.resume()
    }
  }
  const onError = (err: unknown): void => {
    log?.error({ err }, 'symbol cache boundary job threw')
  }
  const retry = new Cron(
    '* * * * * *',
    { paused: true, interval: retrySeconds, protect: true, catch: onError, unref: true },
    run,
  )
  const daily = new Cron(
    `1 ${at.minute} ${at.hour} * * *`,
    { timezone: 'Asia/Kolkata', protect: true, catch: onError, unref: true },
    run,
  )
  return {
    stop() {
      daily.stop()
      retry.stop()
    },
    nextRunMs() {
      return daily.nextRun()?.getTime() ?? null
    },
  }
}
